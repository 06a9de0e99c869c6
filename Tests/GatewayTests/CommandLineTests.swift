import Foundation
import Testing
import TestSupport

/// The `weavr-gateway` binary's tenant and keys commands, run as a real process.
@Suite("Command line")
struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/weavr-gateway").path

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs the binary on its own thread (never blocking the test's task) with `stdin` as standard input.
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String]) async throws -> Result {
        let (status, output) = try await ProcessRunner.run([binary] + arguments, stdin: stdin, environment: environment)
        return Result(status: status, output: output)
    }

    @Test(.requiresGatewayBinary)
    func tenantAPIKeyComesFromStandardInputAndIsNeverShownOrStoredInPlaintext() async throws {
        let directory = NSTemporaryDirectory() + "cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let db = directory + "/gw.sqlite"
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let environment = ["GATEWAY_MASTER_KEY": key, "PATH": "/usr/bin:/bin"]
        let secret = "live-api-key-\(UUID().uuidString)"

        let added = try await Self.run(
            ["tenant", "add", "shop", "--db", db, "--name", "Shop", "--weavr-base-url", "https://sandbox.weavr.io/multi",
             "--prepaid-profile", "EUR=101", "--session-mode", "bearer"],
            stdin: secret + "\n", environment: environment
        )
        #expect(added.status == 0, "\(added.output)")
        #expect(added.output.contains("created tenant shop"))
        let shown = try await Self.run(["tenant", "show", "shop", "--db", db], environment: environment)
        #expect(shown.output.contains("sandbox.weavr.io"))
        let suspended = try await Self.run(["tenant", "suspend", "shop", "--db", db], environment: environment)
        #expect(suspended.status == 0)
        let listed = try await Self.run(["tenant", "list", "--db", db], environment: environment)
        #expect(listed.output.contains("suspended"))
        for output in [added.output, shown.output, suspended.output, listed.output] {
            #expect(!output.contains(secret))
        }
        let files = ["", "-wal", "-shm"].compactMap { FileManager.default.contents(atPath: db + $0) }.reduce(Data(), +)
        #expect(files.count > 0)
        #expect(files.range(of: Data(secret.utf8)) == nil)

        // There is no way to pass the key on the command line.
        let refused = try await Self.run(["tenant", "add", "other", "--db", db, "--name", "O", "--weavr-base-url", "https://x.example", "--api-key", secret], environment: environment)
        #expect(refused.status != 0)
        // A wrong master key cannot read the tenant's key (and says so without printing it).
        let rotated = try await Self.run(["keys", "rotate", "--db", db], environment: environment)
        #expect(rotated.status == 0, "\(rotated.output)")
        let keys = try await Self.run(["keys", "list", "--db", db], environment: environment)
        #expect(keys.output.contains("active"))
    }

    @Test(.requiresGatewayBinary)
    func missingOrBadMasterKeyIsAClearErrorWithoutTheValue() async throws {
        let directory = NSTemporaryDirectory() + "cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = try await Self.run(["tenant", "list", "--db", directory + "/gw.sqlite"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("GATEWAY_MASTER_KEY"))
        let bad = try await Self.run(["tenant", "list", "--db", directory + "/gw.sqlite"], environment: ["GATEWAY_MASTER_KEY": "c2hvcnQta2V5", "PATH": "/usr/bin:/bin"])
        #expect(bad.status != 0)
        #expect(!bad.output.contains("c2hvcnQta2V5"))
    }

    @Test(.requiresGatewayBinary)
    func migrateCreatesTheSchemaAndRefusesAFileThatIsNotADatabase() async throws {
        let directory = NSTemporaryDirectory() + "cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fresh = try await Self.run(["migrate", "--db", directory + "/gw.sqlite"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(fresh.status == 0)
        #expect(fresh.output.hasPrefix("OK schema version"))
        let garbage = Data(repeating: 0x41, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: directory + "/bad.sqlite"))
        let refused = try await Self.run(["migrate", "--db", directory + "/bad.sqlite"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("not a database"))
        #expect(FileManager.default.contents(atPath: directory + "/bad.sqlite") == garbage)  // never recreated
    }
}
