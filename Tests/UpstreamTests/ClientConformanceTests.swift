import Foundation
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
            let spec = Self.repositoryRoot.appendingPathComponent("../shared/weavr/weavr-multi-openapi-original.yml").standardizedFileURL.path
            if FileManager.default.fileExists(atPath: spec) { arguments += ["--spec", spec] }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(text.contains("0 problems"), "\(text)")
        }
    }
}
