import Audit
import Synchronization

/// The outcome rows of an audited mutation that runs under an `Idempotency-Key`, held for the idempotency step
/// to write in one commit with the response it stores (`IdempotencyStore.complete(…auditing:)`), instead of a
/// commit of their own just before it. They are still written before the answer leaves (`IdempotencyGuard`).
final class DeferredOutcomes: Sendable {
    private let entries = Mutex<[AuditEntry]>([])

    func append(_ rows: [AuditEntry]) {
        entries.withLock { $0.append(contentsOf: rows) }
    }

    /// The rows held so far; they are no longer held.
    func take() -> [AuditEntry] {
        entries.withLock { rows in
            defer { rows = [] }
            return rows
        }
    }
}
