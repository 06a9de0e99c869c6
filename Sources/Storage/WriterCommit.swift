/// One transaction the writer committed, for a `Database.observeCommits` observer.
public struct WriterCommit: Sendable {
    /// Write jobs in the transaction (the group-commit batch size).
    public var jobs: Int
    /// From `BEGIN IMMEDIATE` to the end of `COMMIT` (with `synchronous=FULL`, includes the fsync).
    public var duration: Duration
}
