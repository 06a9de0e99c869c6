/// How durable a `Database.write` is when its caller resumes.
public enum WriteDurability: Sendable, Hashable {
    /// Flushed to disk with its commit (SQLite `synchronous=FULL`: the WAL is fsynced; PostgreSQL
    /// `synchronous_commit`): it survives power loss. The default.
    case flushed
    /// Committed — every reader sees it, and it survives the process being killed — but on disk only with the
    /// next flushed commit (whose fsync covers the WAL frames before it) or the next checkpoint: a power loss or
    /// an operating-system crash before then may undo it. SQLite only (PostgreSQL flushes every commit): a batch of
    /// such writes alone commits without an fsync; one flushed write in the batch flushes it all.
    ///
    /// For a write nobody is told about before a later flushed write of the same caller, such as the claim of an
    /// `Idempotency-Key`, which the request's flushed intent row or stored response follows before anything is
    /// done or answered.
    case withNextFlush
}
