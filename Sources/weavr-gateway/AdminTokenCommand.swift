import ArgumentParser
import Gateway

struct AdminTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin-token",
        abstract: "Make an admin API token: prints the token once (give it to the admin) and the line for --admin-tokens (which stores only its SHA-256)."
    )

    @Argument(help: "The admin's name, recorded as the actor of their calls in the audit log.")
    var name: String

    func validate() throws {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
            throw ValidationError("the name is 1+ visible ASCII characters without spaces or colons")
        }
    }

    func run() async throws {
        let (token, line) = try AdminTokens.generate(name: name)
        StandardOutput.write("token (shown once): \(token)\nline for --admin-tokens:\n\(line)\n")
    }
}
