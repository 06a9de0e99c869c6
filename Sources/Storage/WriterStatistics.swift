/// What the writer thread has done since the database opened, for tests and metrics.
public struct WriterStatistics: Sendable, Hashable {
    /// Transactions that committed (each is one fsync with `synchronous=FULL`, unless it is one of
    /// `unflushedTransactions`).
    public var transactionsCommitted = 0
    /// Of those, the ones that no job needed flushed (`WriteDurability.withNextFlush`): committed without an fsync.
    public var unflushedTransactions = 0
    /// Write jobs whose work is in a committed transaction.
    public var jobsCommitted = 0
    /// Write jobs that failed: their own error, a failed `BEGIN`, or a failed `COMMIT`.
    public var jobsFailed = 0
    /// The most jobs committed by a single transaction.
    public var largestBatch = 0

    /// All zero.
    public init() {}
}
