/// The tamper-evident audit log: an append-only, gapless, SHA-256 hash-chained sequence of rows.
///
/// Storage failures surface as `StorageError`; when `append` throws one whose
/// `isUnavailable` is `true` (disk full, locked, I/O error, closed) nothing of the call was
/// written, and the caller must not go on to call Weavr: the mutation fails closed (503).
public protocol AuditLog: Sendable {
    /// Appends `entries` in order, durably (the call returns after the commit), and returns
    /// their seqs. Either all of them are written or none.
    @discardableResult
    func append(_ entries: [AuditEntry]) async throws -> [Int64]

    /// Up to `limit` (1…1000) rows matching `filter`, oldest first.
    func query(_ filter: AuditFilter, limit: Int) async throws -> AuditPage

    /// Recomputes every stored hash and checks seq continuity, the `prev_hash` links from
    /// the anchor, and the head pointer.
    func verify() async throws -> AuditVerification

    /// Deletes the oldest rows written more than `retention` ago (a prefix of the log, so
    /// the chain stays contiguous) and moves the anchor to the last deleted row, in the same
    /// transaction. Rows that do not verify are never deleted: `AuditError.chainBroken`.
    func prune(olderThan retention: Duration) async throws -> AuditPruneResult

    /// Appends `entries` unless an earlier call with the same `key` already did, exactly once
    /// even when calls race. Returns the seqs written, empty when the key was already recorded.
    ///
    /// Used for events the gateway learns about by observation rather than by acting, such as
    /// the per-operation outcomes of a finished bulk process (`tenant:bulk:<id>`).
    @discardableResult
    func appendOnce(key: String, _ entries: [AuditEntry]) async throws -> [Int64]

    /// `true` when `appendOnce(key:_:)` has recorded `key`.
    func isRecorded(key: String) async throws -> Bool
}

extension AuditLog {
    /// How long rows are kept by default: 400 days.
    public static var defaultRetention: Duration { .seconds(400 * 86_400) }

    /// Appends one entry; returns its seq.
    @discardableResult
    public func append(_ entry: AuditEntry) async throws -> Int64 {
        try await append([entry])[0]
    }
}
