import ArgumentParser
import Foundation
import Gateway

/// `weavr-gateway config check FILE` and `config reference`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check a configuration file, or list every configuration key.",
        subcommands: [Check.self, Reference.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate FILE (with the WEAVR_GATEWAY_* environment applied): print OK and the effective configuration, or every error; exit 0 or 1."
        )

        @Argument(help: "JSON configuration file.")
        var file: String

        func run() throws {
            do {
                let configuration = try GatewayConfiguration.load(file: file, environment: ProcessInfo.processInfo.environment)
                StandardOutput.write("OK: \(file)\n\(configuration.effectiveDescription)\n")
            } catch {
                let count = error.problems.count
                StandardError.write("\(file): \(count) error\(count == 1 ? "" : "s")\n" + error.problems.map { "  \($0)\n" }.joined())
                throw ExitCode(1)
            }
        }
    }

    struct Reference: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every configuration key with its default, environment variable and meaning (Markdown)."
        )

        func run() {
            StandardOutput.write(GatewayConfiguration.referenceTable + "\n")
        }
    }
}
