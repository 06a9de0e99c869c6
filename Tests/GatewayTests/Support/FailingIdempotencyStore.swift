import Audit
@testable import Gateway

/// An idempotency store whose database is gone: every call throws.
struct FailingIdempotencyStore: IdempotencyStore {
    struct Failure: Error {}

    func claim(_ scope: IdempotencyScope, fingerprint: [UInt8]) async throws -> IdempotencyClaim { throw Failure() }
    func complete(_ scope: IdempotencyScope, fingerprint: [UInt8], response: IdempotentResponse, auditing: [AuditEntry]) async throws {
        throw Failure()
    }
    func release(_ scope: IdempotencyScope, fingerprint: [UInt8], auditing: [AuditEntry]) async throws { throw Failure() }
}
