import ArgumentParser
import Gateway
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Check the database (quick_check) and bring its schema up to this binary's version; serve does the same at startup."
    )

    @Option(help: "SQLite database file (created if missing) or postgresql:// URL; default $WEAVR_GATEWAY_DATABASE_URL.")
    var db: String?

    func run() async throws {
        let location = try GatewayStorage.location(db)
        let database: Database
        do {
            database = try GatewayStorage.open(location)
        } catch {
            StandardError.write("migrate: \(GatewayStorage.displayName(location)): \(error)\n")
            throw ExitCode(1)
        }
        let version = try await database.schemaVersion()
        database.close()
        StandardOutput.write("OK schema version \(version) (latest \(Migrations.gateway.latestVersion))\n")
    }
}
