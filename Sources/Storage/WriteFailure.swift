/// A write the database refused because the database itself could not take it (`StorageError.isUnavailable`:
/// disk full, read-only, I/O error, locked, busy, closed), and when.
public struct WriteFailure: Sendable, Hashable {
    /// Why the write was refused.
    public var error: StorageError
    /// When (monotonic clock).
    public var time: ContinuousClock.Instant

    public init(error: StorageError, time: ContinuousClock.Instant) {
        self.error = error
        self.time = time
    }
}
