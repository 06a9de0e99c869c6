import Foundation
import TestSupport
import Testing
import Upstream

@Suite struct ClientConformanceTests {
    /// The repository root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyRequestTheClientSendsMatchesTheSpec() async throws {
        try await withUpstream { harness in
            try await exerciseEveryOperation(harness)
            let script = Self.repositoryRoot.appendingPathComponent("scripts/client_conformance.py").path
            var arguments = [script, "--base-url", harness.baseURL]
            arguments += ["--spec", Self.repositoryRoot.appendingPathComponent("spec/weavr-multi-openapi.yml").path]
            let scriptArguments = arguments
            // The script runs on a thread of its own, not on the tests' cooperative pool.
            let (status, text) = try await ProcessRunner.run(["python3"] + scriptArguments)
            #expect(status == 0, "\(text)")
            #expect(text.contains("0 problems"), "\(text)")
        }
    }
}
