import Foundation
import Testing

/// For tests that run the built `weavr-gateway` binary: when it is missing the test fails with a message
/// saying how to build it — it never passes by being skipped.
struct RequiresGatewayBinary: TestTrait, TestScoping {
    @concurrent func provideScope(for test: Test, testCase: Test.Case?, performing function: @concurrent @Sendable () async throws -> Void) async throws {
        guard FileManager.default.isExecutableFile(atPath: CommandLineTests.binary) else {
            Issue.record("\(CommandLineTests.binary) is missing: build it first (`swift build --build-tests`, which `swift test` also does)")
            return
        }
        try await function()
    }
}

extension Trait where Self == RequiresGatewayBinary {
    /// The test runs the built `weavr-gateway` binary; it fails clearly when the binary is missing.
    static var requiresGatewayBinary: Self { RequiresGatewayBinary() }
}
