extension SQLiteConnection {
    /// Pragmas applied when a connection opens.
    public struct Configuration: Sendable {
        /// `PRAGMA synchronous`. Default `.full`: a 2xx means the write survives power loss.
        public var synchronous: SynchronousMode
        /// `PRAGMA busy_timeout`, how long to wait for another connection's lock before
        /// failing with `StorageError.busy`. Default 5000 ms (Debian's build defaults to 0).
        public var busyTimeoutMilliseconds: Int
        /// `PRAGMA max_page_count` when set; writes that would grow the file past it fail
        /// with `StorageError.full`. Default `nil` (SQLite's own limit).
        public var maxPageCount: Int?

        /// Creates a configuration; every argument has the documented default.
        public init(
            synchronous: SynchronousMode = .full,
            busyTimeoutMilliseconds: Int = 5000,
            maxPageCount: Int? = nil
        ) {
            self.synchronous = synchronous
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.maxPageCount = maxPageCount
        }
    }
}
