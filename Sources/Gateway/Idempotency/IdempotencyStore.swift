/// Keeps the first response of each `Idempotency-Key` (docs/ARCHITECTURE.md, "The public API").
protocol IdempotencyStore: Sendable {
    /// Atomically looks the key up and, when there is no live row, inserts an in-flight one.
    /// Expired rows and abandoned in-flight rows count as absent.
    func claim(_ scope: IdempotencyScope, fingerprint: [UInt8]) async throws -> IdempotencyClaim
    /// Stores the response of a claimed key and marks it complete.
    func complete(_ scope: IdempotencyScope, fingerprint: [UInt8], response: IdempotentResponse) async throws
    /// Drops a claimed key whose request must not be remembered (5xx), so a retry runs again.
    func release(_ scope: IdempotencyScope, fingerprint: [UInt8]) async throws
}
