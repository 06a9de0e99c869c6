extension SQLiteConnection {
    /// `PRAGMA synchronous` levels that make sense in WAL mode.
    public enum SynchronousMode: String, Sendable {
        /// fsync the WAL on every commit: a commit survives power loss.
        case full = "FULL"
        /// fsync only at checkpoints: a commit may be lost on power loss, never corrupted.
        case normal = "NORMAL"
        /// No fsync at all; for throwaway databases only.
        case off = "OFF"
    }
}
