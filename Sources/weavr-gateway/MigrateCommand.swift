import ArgumentParser
import Gateway
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Check the database (quick_check) and bring its schema up to this binary's version; serve does the same at startup."
    )

    @Option(help: "SQLite database file (created if missing).")
    var db: String

    func run() async throws {
        let database: Database
        do {
            database = try GatewayStorage.open(db)
        } catch {
            StandardError.write("migrate: \(db): \(error)\n")
            throw ExitCode(1)
        }
        let version = try await database.read { try Migrations.userVersion(of: $0) }
        database.close()
        StandardOutput.write("OK schema version \(version) (latest \(Migrations.gateway.latestVersion))\n")
    }
}
