extension Database {
    /// Everything `Database.open` can be told; every limit has a documented default.
    public struct Configuration: Sendable {
        /// Pragmas for every connection: `synchronous` (default FULL), `busy_timeout`
        /// (default 5000 ms) and, on the writer only, `max_page_count` (default none).
        public var connection: SQLiteConnection.Configuration
        /// Read-only connections, each on its own reader thread. Default 2.
        public var readerCount: Int
        /// How long a `read` waits in the queue for a free reader before `StorageError.busy`. Default 2 s.
        public var readerCheckoutTimeout: Duration
        /// `true` (default): every job waiting for the writer shares one transaction and
        /// one fsync. `false`: one transaction per job, for comparison benchmarks.
        public var groupCommit: Bool
        /// The most jobs committed by one transaction. Default 512.
        public var maxBatchSize: Int
        /// The most jobs waiting for the writer; beyond it `write` throws
        /// `StorageError.busy` at once. Default 10,000.
        public var maxQueueLength: Int

        /// Creates a configuration; every argument has the documented default.
        public init(
            connection: SQLiteConnection.Configuration = SQLiteConnection.Configuration(),
            readerCount: Int = 2,
            readerCheckoutTimeout: Duration = .seconds(2),
            groupCommit: Bool = true,
            maxBatchSize: Int = 512,
            maxQueueLength: Int = 10_000
        ) {
            precondition(readerCount > 0 && maxBatchSize > 0 && maxQueueLength > 0)
            self.connection = connection
            self.readerCount = readerCount
            self.readerCheckoutTimeout = readerCheckoutTimeout
            self.groupCommit = groupCommit
            self.maxBatchSize = maxBatchSize
            self.maxQueueLength = maxQueueLength
        }
    }
}
