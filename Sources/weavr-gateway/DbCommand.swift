import ArgumentParser
import Foundation
import Gateway
import Storage

/// `weavr-gateway db copy`: moving an install between database engines.
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Move an install's database to another engine.",
        subcommands: [Copy.self]
    )

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy an SQLite install into an empty PostgreSQL database in one transaction, then verify the audit chain and row counts there.",
            discussion: """
                The target is migrated first and must hold no tenants, signing keys, sessions or audit rows: a copy never \
                merges two installs. The source is read in one snapshot, so a gateway may keep serving from it, but what it \
                writes after the copy starts stays behind: stop it before copying for the final move. Encrypted columns are \
                copied as they are (no master key needed; serve the target with the same one). Exit 0 when the target's audit \
                chain verifies with the source's head and every table has the source's row count; 1 otherwise, naming why.
                """
        )

        @Option(help: "The source: an SQLite database file (must exist).")
        var from: String
        @Option(help: "The target: a postgresql:// URL; default $WEAVR_GATEWAY_DATABASE_URL. Keep the password in PGPASSWORD or PGPASSFILE.")
        var to: String?
        @Option(help: .hidden)
        var pageSize = 500

        func run() async throws {
            guard !Database.isPostgresURL(from) else {
                throw ValidationError("--from must be an SQLite database file; copying out of PostgreSQL is not supported")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory), !isDirectory.boolValue else {
                // Opening would create an empty file, and copy an empty install.
                throw ValidationError("--from: no database at \(from)")
            }
            let location = try GatewayStorage.location(to)
            guard Database.isPostgresURL(location) else {
                throw ValidationError("--to must be a postgresql:// URL, got \(GatewayStorage.displayName(location))")
            }
            guard pageSize > 0 else { throw ValidationError("--page-size must be positive") }
            let targetName = GatewayStorage.displayName(location)

            let source: Database
            do {
                source = try GatewayStorage.open(from)
            } catch {
                StandardError.write("db copy: source \(from): \(error)\n")
                throw ExitCode(1)
            }
            defer { source.close() }
            let target: Database
            do {
                // One write job and one read at a time: two connections, not a serving pool; statements over
                // big tables (counts, pages) get more than a request's 5 s.
                var configuration = Database.PostgresConfiguration()
                configuration.readerCount = 1
                configuration.statementTimeout = .seconds(120)
                configuration.applicationName = "weavr-gateway db copy"
                target = try Database.connect(url: location, migrations: .gateway, configuration: configuration)
            } catch {
                StandardError.write("db copy: target \(targetName): \(error)\n")
                throw ExitCode(1)
            }
            defer { target.close() }

            var commands = DatabaseCopyCommands(source: source, sourceName: from, target: target, targetName: targetName)
            commands.copy.pageSize = pageSize
            do {
                StandardOutput.write(try await commands.run())
            } catch {
                StandardError.write("db copy: \(error)\n")
                throw ExitCode(1)
            }
        }
    }
}
