import ArgumentParser
import Auth
import Storage

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Manage tenants. The Weavr api-key is read from standard input or --api-key-file, never from the command line.",
        subcommands: [Add.self, List.self, Show.self, Update.self, Suspend.self, Activate.self, Remove.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "SQLite database file or postgresql:// URL; default $WEAVR_GATEWAY_DATABASE_URL.")
        var db: String?
        @Option(help: "Master key file (default: $GATEWAY_MASTER_KEY).")
        var masterKeyFile: String?

        func commands() async throws -> TenantCommands {
            let database = try GatewayStorage.open(try GatewayStorage.location(db))
            let key = try GatewayStorage.masterKey(file: masterKeyFile)
            return TenantCommands(store: SQLTenantStore(database: database, secretBox: SecretBox(masterKey: key)))
        }
    }

    struct Fields: ParsableArguments {
        @Option(help: "Display name.") var name: String?
        @Option(help: "Weavr base URL, e.g. https://sandbox.weavr.io/multi") var weavrBaseUrl: String?
        @Option(help: "Prepaid card profile, CURRENCY=PROFILE_ID (repeatable).") var prepaidProfile: [String] = []
        @Option(help: "Debit card profile, CURRENCY=PROFILE_ID (repeatable).") var debitProfile: [String] = []
        @Option(help: "Transfer profile id for /v1/transfers (on update, \"\" removes it).") var transferProfile: String?
        @Option(help: "Allowed CORS origin, scheme://host[:port] (repeatable).") var allowedOrigin: [String] = []
        @Option(help: "Session mode: cookie or bearer (repeatable).") var sessionMode: [String] = []
        @Option(help: "Daily quota, NAME=N (repeatable), e.g. cards.issue=1000.") var quota: [String] = []

        func arguments(id: String?) -> TenantCommands.Arguments {
            TenantCommands.Arguments(
                id: id, name: name, weavrBaseURL: weavrBaseUrl,
                prepaidProfiles: prepaidProfile.isEmpty ? nil : prepaidProfile,
                debitProfiles: debitProfile.isEmpty ? nil : debitProfile,
                allowedOrigins: allowedOrigin.isEmpty ? nil : allowedOrigin,
                sessionModes: sessionMode.isEmpty ? nil : sessionMode,
                quotas: quota.isEmpty ? nil : quota,
                transferProfile: transferProfile
            )
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant; the api-key comes from stdin or --api-key-file.")
        @OptionGroup var common: Common
        @Argument(help: "Tenant id (slug).") var id: String
        @OptionGroup var fields: Fields
        @Option(help: "Read the Weavr api-key from this file instead of standard input.") var apiKeyFile: String?

        func run() async throws {
            let output = try await common.commands().add(fields.arguments(id: id), apiKey: apiKeyFile.map { .file($0) } ?? .standardInput)
            print(output, terminator: "")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var common: Common
        func run() async throws { print(try await common.commands().list(), terminator: "") }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var common: Common
        @Argument var id: String
        func run() async throws { print(try await common.commands().show(id), terminator: "") }
    }

    struct Update: AsyncParsableCommand {
        @OptionGroup var common: Common
        @Argument var id: String
        @OptionGroup var fields: Fields
        @Flag(help: "Read a new api-key from standard input.") var apiKeyFromStdin = false
        @Option(help: "Read a new api-key from this file.") var apiKeyFile: String?
        func run() async throws {
            let input: SecretInput? = apiKeyFile.map { .file($0) } ?? (apiKeyFromStdin ? .standardInput : nil)
            print(try await common.commands().update(id, fields.arguments(id: nil), apiKey: input), terminator: "")
        }
    }

    struct Suspend: AsyncParsableCommand {
        @OptionGroup var common: Common
        @Argument var id: String
        func run() async throws { print(try await common.commands().suspend(id), terminator: "") }
    }

    struct Activate: AsyncParsableCommand {
        @OptionGroup var common: Common
        @Argument var id: String
        func run() async throws { print(try await common.commands().activate(id), terminator: "") }
    }

    struct Remove: AsyncParsableCommand {
        @OptionGroup var common: Common
        @Argument var id: String
        func run() async throws { print(try await common.commands().remove(id), terminator: "") }
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Session-token signing keys: rotate (old tokens keep working), list, retire (its tokens stop working).",
        subcommands: [Rotate.self, List.self, Retire.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "SQLite database file or postgresql:// URL; default $WEAVR_GATEWAY_DATABASE_URL.") var db: String?
        @Option(help: "Master key file (default: $GATEWAY_MASTER_KEY).") var masterKeyFile: String?

        func commands() throws -> KeyCommands {
            let database = try GatewayStorage.open(try GatewayStorage.location(db))
            let key = try GatewayStorage.masterKey(file: masterKeyFile)
            return KeyCommands(store: SQLKeyRingStore(database: database, masterKey: key))
        }
    }

    struct Rotate: AsyncParsableCommand {
        @OptionGroup var common: Common
        func run() async throws { print(try await common.commands().rotate(), terminator: "") }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var common: Common
        func run() async throws { print(try await common.commands().list(), terminator: "") }
    }

    struct Retire: AsyncParsableCommand {
        @OptionGroup var common: Common
        @Argument var kid: String
        func run() async throws { print(try await common.commands().retire(kid), terminator: "") }
    }
}
