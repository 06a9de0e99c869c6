import ArgumentParser
import Audit
import Foundation
import Storage

/// `weavr-gateway audit verify|query|export|prune`. The log is a plain SHA-256 hash chain,
/// so no master key is needed (docs/ARCHITECTURE.md "Quotas and audit").
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read, verify, export and prune the tamper-evident audit log.",
        subcommands: [Verify.self, Query.self, Export.self, Prune.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "SQLite database file (must exist) or postgresql:// URL; default $WEAVR_GATEWAY_DATABASE_URL.") var db: String?

        func commands() throws -> AuditCommands {
            let location = try GatewayStorage.location(db)
            // Opening creates a missing file: a typo would then "verify" an empty log.
            guard Database.isPostgresURL(location) || FileManager.default.fileExists(atPath: location) else {
                throw ValidationError("no database at \(location)")
            }
            return AuditCommands(database: try GatewayStorage.open(location))
        }
    }

    struct Filters: ParsableArguments {
        @Option(help: "Tenant id.") var tenant: String?
        @Option(help: "Actor (Weavr user id or admin:<id>).") var actor: String?
        @Option(help: "Action, e.g. card.block, or a prefix such as admin.*") var action: String?
        @Option(help: "Target, e.g. a card id.") var target: String?
        @Option(help: "Outcome: intent, success, failure or denied.") var outcome: String?
        @Option(help: "Rows at or after this UTC time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ).") var since: String?
        @Option(help: "Rows before this UTC time.") var until: String?
        @Option(help: "Rows after this seq (the cursor printed by the previous page).") var after: Int64?

        func filter() throws -> AuditFilter {
            func time(_ text: String?, _ name: String) throws -> Int64? {
                guard let text else { return nil }
                guard let milliseconds = AuditTimestamp.parse(text) else {
                    throw ValidationError("--\(name) is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ: \(text)")
                }
                return milliseconds
            }
            var parsedOutcome: AuditOutcome?
            if let outcome {
                guard let value = AuditOutcome(rawValue: outcome) else {
                    throw ValidationError("--outcome must be one of \(AuditOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                parsedOutcome = value
            }
            return AuditFilter(
                tenant: tenant, actor: actor, action: action, target: target, outcome: parsedOutcome,
                from: try time(since, "since"), to: try time(until, "until"), afterSeq: after
            )
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash and check the chain; exit 1 and name the first bad row if it fails."
        )
        @OptionGroup var common: Common
        @Option(help: "A signed checkpoint (C2SP tlog-checkpoint note): prove that an NDJSON export matches it instead of checking the database.")
        var checkpoint: String?
        @Option(help: "With --checkpoint: the verifier key (name+id+key, from GET /admin/v1/audit/checkpoint-key) or an Ed25519 PEM public key.")
        var publicKey: String?
        @Option(help: "With --checkpoint: the NDJSON export (`audit export --format ndjson`, unfiltered); default standard input.")
        var export: String?

        func run() async throws {
            if let checkpoint {
                guard let publicKey else { throw ValidationError("--checkpoint needs --public-key") }
                let exported = try export.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } ?? FileHandle.standardInput.readDataToEndOfFile()
                let (ok, output) = AuditCommands.verify(
                    checkpoint: try String(contentsOfFile: checkpoint, encoding: .utf8),
                    publicKey: try String(contentsOfFile: publicKey, encoding: .utf8),
                    export: Array(exported)
                )
                print(output, terminator: "")
                if !ok { throw ExitCode(1) }
                return
            }
            let (ok, output) = try await common.commands().verify()
            print(output, terminator: "")
            if !ok { throw ExitCode(1) }
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print matching rows, oldest first, one per line.")
        @OptionGroup var common: Common
        @OptionGroup var filters: Filters
        @Option(help: "At most this many rows (1-1000).") var limit = 100

        func run() async throws {
            print(try await common.commands().query(filters.filter(), limit: limit), terminator: "")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every matching row to standard output.")
        @OptionGroup var common: Common
        @OptionGroup var filters: Filters
        @Option(help: "ndjson (lossless) or csv.") var format: String

        func run() async throws {
            guard let exportFormat = AuditExportFormat(rawValue: format) else {
                throw ValidationError("--format must be ndjson or csv")
            }
            let output = FileHandle.standardOutput
            try await common.commands().export(filters.filter(), format: exportFormat) { chunk in
                try output.write(contentsOf: chunk)
            }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete rows older than N days; the last deleted row becomes the anchor verification starts from."
        )
        @OptionGroup var common: Common
        @Option(help: "Retention in days.") var olderThanDays = 400

        func run() async throws {
            guard olderThanDays >= 0 else { throw ValidationError("--older-than-days must not be negative") }
            print(try await common.commands().prune(olderThanDays: olderThanDays), terminator: "")
        }
    }
}
