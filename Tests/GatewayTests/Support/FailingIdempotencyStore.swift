@testable import Gateway

/// An idempotency store whose database is gone: every call throws.
struct FailingIdempotencyStore: IdempotencyStore {
    struct Failure: Error {}

    func claim(_ scope: IdempotencyScope, fingerprint: [UInt8]) async throws -> IdempotencyClaim { throw Failure() }
    func complete(_ scope: IdempotencyScope, fingerprint: [UInt8], response: IdempotentResponse) async throws { throw Failure() }
    func release(_ scope: IdempotencyScope, fingerprint: [UInt8]) async throws { throw Failure() }
}
