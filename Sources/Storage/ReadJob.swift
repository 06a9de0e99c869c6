/// One caller's `Database.read`, with its result type erased for the readers' queue.
struct ReadJob: Sendable {
    /// When the job gives up waiting for a free reader (`StorageError.busy`).
    let deadline: ContinuousClock.Instant
    /// Runs the caller's body on a reader connection; returns the closure that resumes the
    /// caller, called once the connection's read snapshot has ended.
    let perform: @Sendable (any SQLConnection) -> @Sendable () -> Void
    /// Resumes the caller with `error`.
    let fail: @Sendable (any Error) -> Void
}
