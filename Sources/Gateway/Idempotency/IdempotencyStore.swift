import Audit

/// Keeps the first response of each `Idempotency-Key` (docs/ARCHITECTURE.md, "The public API").
protocol IdempotencyStore: Sendable {
    /// Atomically looks the key up and, when there is no live row, inserts an in-flight one.
    /// Expired rows and abandoned in-flight rows count as absent.
    func claim(_ scope: IdempotencyScope, fingerprint: [UInt8]) async throws -> IdempotencyClaim
    /// Stores the response of a claimed key and marks it complete, and appends `auditing` (the request's
    /// outcome rows) to the audit log in the same commit: both or neither.
    func complete(_ scope: IdempotencyScope, fingerprint: [UInt8], response: IdempotentResponse, auditing: [AuditEntry]) async throws
    /// Drops a claimed key whose request must not be remembered (5xx), so a retry runs again, and appends
    /// `auditing` in the same commit.
    func release(_ scope: IdempotencyScope, fingerprint: [UInt8], auditing: [AuditEntry]) async throws
}
