import Foundation
import TestSupport
import Testing
import WeavrSimulator

struct SpecConformanceTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = repositoryRoot.appendingPathComponent("scripts/spec_conformance.py").path
    /// python3 from PATH first (it is the one with the script's requirements installed), then the system one.
    static let python = ((ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        + ["/usr/bin/python3", "/usr/local/bin/python3"]).first(where: FileManager.default.isExecutableFile(atPath:))

    /// Runs `scripts/spec_conformance.py` against a live simulator: every status declared by Weavr's spec,
    /// every JSON body valid against the declared schema. Fails (with a message) when python3 is missing.
    @Test func simulatorConformsToWeavrSpec() async throws {
        let python = try #require(SpecConformanceTests.python, "python3 not found: install it with scripts/requirements.txt (bash .ci/run does)")
        try await withSimulator { _, client async throws in
            let arguments = [SpecConformanceTests.script, "--base-url", "http://127.0.0.1:\(client.port)"]
            // The script runs on a thread of its own, not on the tests' cooperative pool.
            let (status, text) = try await ProcessRunner.run([python] + arguments)
            print("spec_conformance.py: \(text.split(separator: "\n").last ?? "")")
            let failures = text.split(separator: "\n").filter { $0.hasPrefix("FAIL") || $0.hasPrefix("     ") }
            #expect(status == 0, "\(failures.joined(separator: "\n"))\n\(text.split(separator: "\n").last ?? "")")
        }
    }
}
