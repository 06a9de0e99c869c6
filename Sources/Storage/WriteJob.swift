/// One caller's `Database.write`, with its result type erased for the writer's queue.
struct WriteJob: Sendable {
    /// Runs the caller's work on the writer connection; on success returns the closure
    /// that resumes the caller, to be called only once the transaction has committed.
    let perform: @Sendable (any SQLConnection) throws -> @Sendable () -> Void
    /// Resumes the caller with `error`.
    let fail: @Sendable (any Error) -> Void
    /// Whether its commit must be flushed before the caller resumes.
    var durability: WriteDurability = .flushed
}
