import Foundation
import Glibc
import Testing
import TestSupport

/// One `serve` per SQLite file: a second one on the same database refuses to start (its in-memory rate
/// limits would double the first's), while maintenance commands keep working beside the live gateway.
@Suite("Single serve process", .serialized)
struct SingleServeProcessTests {
    static let binary = CommandLineTests.binary

    @Test(.requiresGatewayBinary)
    func aSecondServeOnTheSameDatabaseExitsNamingTheLockAndItsHolder() async throws {
        let directory = NSTemporaryDirectory() + "single-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let environment = ["GATEWAY_MASTER_KEY": key, "PATH": "/usr/bin:/bin"]
        let db = directory + "/gw.sqlite"

        let first = try RunningProcess(Self.binary, ["serve", "--db", db, "--port", "0"], environment: environment)
        defer { first.stop() }
        _ = try await first.port(after: "weavr-gateway listening on")

        let second = try RunningProcess(Self.binary, ["serve", "--db", db, "--port", "0"], environment: environment)
        defer { second.stop() }
        let status = try await second.waitForExit(timeout: .seconds(20))
        #expect(status == 1, "second serve: \(second.output)")
        #expect(second.output.contains(db + ".lock"), "\(second.output)")
        #expect(second.output.contains("process \(first.pid)"), "\(second.output)")
        #expect(second.output.contains("another gateway is already serving from this database"), "\(second.output)")
        #expect(!second.output.contains("listening on"))

        // Maintenance commands are meant to run beside the live gateway: no lock for them.
        let added = try await CommandLineTests.run(
            ["tenant", "add", "demo", "--db", db, "--name", "Demo", "--weavr-base-url", "http://127.0.0.1:9",
             "--prepaid-profile", "EUR=101", "--session-mode", "bearer"],
            stdin: "sim-demo-api-key\n", environment: environment
        )
        #expect(added.status == 0, "\(added.output)")
        let verified = try await CommandLineTests.run(["audit", "verify", "--db", db], environment: environment)
        #expect(verified.status == 0, "\(verified.output)")

        // Once the first is gone, the lock goes with it.
        first.signal(SIGTERM)
        #expect(try await first.waitForExit(timeout: .seconds(20)) == 0, "\(first.output)")
        let third = try RunningProcess(Self.binary, ["serve", "--db", db, "--port", "0"], environment: environment)
        defer { third.stop() }
        _ = try await third.port(after: "weavr-gateway listening on")
        third.signal(SIGTERM)
        #expect(try await third.waitForExit(timeout: .seconds(20)) == 0, "\(third.output)")
    }
}
