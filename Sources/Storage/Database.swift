package import NIOFreeHTTP
import Synchronization
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The gateway's database, on either engine: one writer connection on its own thread with group
/// commit, and a few reader connections, each on its own reader thread; callers never block.
///
/// - SQLite (`open(path:)`, the embedded default): a file in WAL mode. Opening never deletes or
///   recreates a file: a damaged one is refused.
/// - PostgreSQL (`connect(url:)`, several instances): the same writer and readers over libpq;
///   each write batch takes a cluster-wide advisory lock first, so the batches of all instances
///   are serialised like SQLite's single writer (docs/ARCHITECTURE.md, "Stores and their guarantees").
public final class Database: Sendable {
    /// The file this database was opened from, or the PostgreSQL URL without its password.
    public let path: String
    /// The engine behind it.
    public let dialect: SQLDialect
    private let writer: DatabaseWriter
    private let readers: ReaderPool
    /// PostgreSQL: where a `PostgresNotificationListener` connects (the URL and session settings); nil on SQLite.
    let listenTarget: PostgresListenTarget?
    /// PostgreSQL: a connection per event loop for `query` (`readOnEventLoops`); empty until then and on SQLite.
    private let loopReaders = Mutex<[PostgresLoopReader]>([])

    /// Opens (creating when missing) the database at `path`.
    ///
    /// An existing non-empty file must pass `PRAGMA quick_check`, otherwise this throws
    /// `StorageError.corrupt` (or `.notADatabase`) and leaves the file as it was. Then the
    /// pending `migrations` run; a database newer than them is refused with `.schemaTooNew`.
    public static func open(
        path: String,
        migrations: Migrations,
        configuration: Configuration = Configuration()
    ) throws -> Database {
        let writerConnection = try openWriterConnection(path: path, migrations: migrations, configuration: configuration)
        var readerConnections: [SQLiteConnection] = []
        do {
            for _ in 0..<configuration.readerCount {
                readerConnections.append(
                    try SQLiteConnection(path: path, mode: .readOnly, configuration: configuration.connection)
                )
            }
        } catch {
            readerConnections.forEach { $0.close() }
            writerConnection.close()
            throw error
        }
        return Database(
            path: path,
            dialect: .sqlite,
            writer: DatabaseWriter(
                connection: writerConnection,
                limits: DatabaseWriter.Limits(
                    groupCommit: configuration.groupCommit,
                    maxBatchSize: configuration.maxBatchSize,
                    maxQueueLength: configuration.maxQueueLength
                )
            ),
            readers: ReaderPool(connections: readerConnections, checkoutTimeout: configuration.readerCheckoutTimeout)
        )
    }

    init(path: String, dialect: SQLDialect, writer: DatabaseWriter, readers: ReaderPool, listenTarget: PostgresListenTarget? = nil) {
        self.path = path
        self.dialect = dialect
        self.writer = writer
        self.readers = readers
        self.listenTarget = listenTarget
    }

    deinit {
        close()
    }

    /// Runs `work` on the writer connection inside a transaction shared with the other
    /// writes waiting at the same time, and returns once that transaction has committed.
    ///
    /// `work` runs inside its own savepoint: if it throws, only its changes are rolled
    /// back and this rethrows its error. If the commit itself fails (disk full, I/O error),
    /// every write of the batch throws that error. Throws `StorageError.busy` at once when
    /// the queue is full. `work` must not begin, commit or roll back transactions.
    @discardableResult
    public func write<T: Sendable>(
        durability: WriteDurability = .flushed, _ work: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            writer.enqueue(
                WriteJob(
                    perform: { connection in
                        let value = try work(connection)
                        return { continuation.resume(returning: value) }
                    },
                    fail: { error in continuation.resume(throwing: error) },
                    durability: durability
                )
            )
        }
    }

    /// Runs `body` on a read-only connection, on one of the storage's reader threads, and
    /// resumes the caller with its result; the calling thread is never blocked. `body` sees
    /// every write whose caller has resumed. Throws `StorageError.busy` when no reader was
    /// free within `readerCheckoutTimeout`, `.closed` after `close()`.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            readers.enqueue(
                perform: { connection in
                    let result = Result { try body(connection) }
                    return { continuation.resume(with: result) }
                },
                fail: { error in continuation.resume(throwing: error) }
            )
        }
    }

    /// Like `read`, but `body`'s queries all see one snapshot of the database (SQLite: one read
    /// transaction; PostgreSQL: `REPEATABLE READ READ ONLY`), for walks over many pages.
    public func readSnapshot<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let begin = dialect == .sqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        return try await read { connection in
            try connection.run(begin)
            return try body(connection)
        }
    }

    /// Reader connections: reads that can run at once.
    public var readerCount: Int { readers.count }

    /// Reads waiting for a free reader thread (queue depth).
    public var pendingReads: Int {
        readers.pendingJobCount
    }

    /// The writer's counters so far.
    public var statistics: WriterStatistics {
        writer.statistics
    }

    /// Calls `observer` on the writer thread after every committed transaction (batch size, duration), for
    /// metrics; nil stops. Keep it short: the next batch waits for it.
    public func observeCommits(_ observer: (@Sendable (WriterCommit) -> Void)?) {
        writer.observeCommits(observer)
    }

    /// Calls `observer` for every write refused because the database could not take it (disk full, read-only,
    /// I/O error, busy, closed: `StorageError.isUnavailable`), on the thread that refused it (usually the writer
    /// thread); nil stops. A job's own errors (constraints) are not reported. Keep it short.
    public func observeWriteFailures(_ observer: (@Sendable (WriteFailure) -> Void)?) {
        writer.observeFailures(observer)
    }

    /// The most recent write refused because the database could not take it, if any (for readiness).
    public var lastWriteFailure: WriteFailure? {
        writer.lastFailure
    }

    /// Writes waiting for the writer thread (queue depth).
    public var pendingWrites: Int {
        writer.pendingJobCount
    }

    /// Commits every queued write, stops the writer thread and closes all connections.
    /// Later `write` and `read` calls throw `StorageError.closed`. Blocks until done.
    public func close() {
        for reader in loopReaders.withLock({ $0 }) { reader.close() }
        writer.close()
        readers.close()
    }

    /// PostgreSQL: gives each of `loops` `connectionsPerLoop` connections of its own for `query`, driven by the
    /// loop (libpq non-blocking; `PostgresLoopReader`), so the reads every request makes need no reader thread.
    /// Two per loop: while one waits for PostgreSQL the other can be answering (one alone left the loop idle part
    /// of the time under load; four did no better than two, bench/RESULTS.md). Nothing on SQLite, where a read is
    /// a local file read. Call once, before serving.
    package func readOnEventLoops(_ loops: [EventLoop], connectionsPerLoop: Int = 2) {
        guard let listenTarget, !loops.isEmpty else { return }
        // Named apart from the readers in `pg_stat_activity` ("… loop").
        var settings = listenTarget.settings
        settings.applicationName += " loop"
        let target = PostgresListenTarget(url: listenTarget.url, settings: settings)
        let created = loops.flatMap { loop in
            (0..<max(1, connectionsPerLoop)).map { _ in PostgresLoopReader(loop: loop, target: target) }
        }
        loopReaders.withLock { $0 += created }
    }

    /// Statements answered by the event loops' connections so far (tests, metrics).
    public var eventLoopQueries: Int { loopReaders.withLock { $0.reduce(0) { $0 + $1.answeredCount } } }

    /// Statements answered by `loop`'s connections so far (tests).
    package func eventLoopQueries(on loop: EventLoop) -> Int {
        loopReaders.withLock { $0.filter { $0.loop === loop }.reduce(0) { $0 + $1.answeredCount } }
    }

    /// Event loops whose connection is up now (tests).
    public var eventLoopConnectionsUp: Int { loopReaders.withLock { $0.count(where: \.isUp) } }

    /// Runs one read-only statement and returns its rows. On PostgreSQL with `readOnEventLoops`, on the calling
    /// loop's connection (or the first loop's when not called on one) while it is up; otherwise on a reader
    /// thread, as `read { $0.query(sql, values) }`. Either sees every write whose caller has resumed.
    public func query(_ sql: String, _ values: [SQLValue]) async throws -> [Row] {
        if let reader = loopReader(), let rows = try await reader.query(sql, values) { return rows }
        return try await read { try $0.query(sql, values) }
    }

    /// The event loop the caller runs on, when it has a connection of its own that is up: a task that runs there
    /// and waits only for `query` (a batch of reads) switches no thread.
    public var eventLoopOfCaller: (any TaskExecutor)? {
        loopReaders.withLock { readers in
            readers.first { $0.loop.inEventLoop && $0.isUp }?.loop
        }
    }

    private func loopReader() -> PostgresLoopReader? {
        loopReaders.withLock { readers in
            // This loop's least busy connection that is up; off the loops, any loop's.
            var best: PostgresLoopReader?
            let onLoop = readers.contains { $0.loop.inEventLoop }
            for reader in readers where (!onLoop || reader.loop.inEventLoop) && reader.isUp {
                if best == nil || reader.outstandingCount < best!.outstandingCount { best = reader }
            }
            return best
        }
    }

    private static func openWriterConnection(
        path: String,
        migrations: Migrations,
        configuration: Configuration
    ) throws -> SQLiteConnection {
        let fileHasContent = fileSize(atPath: path).map { $0 > 0 } ?? false
        let connection = try SQLiteConnection(
            openingPath: path,
            mode: fileHasContent ? .readWrite : .readWriteCreate,
            busyTimeoutMilliseconds: configuration.connection.busyTimeoutMilliseconds
        )
        if fileHasContent {
            do {
                try checkIntegrity(of: connection)
            } catch {
                // Refuse the file without writing a byte to it.
                connection.disableCheckpointOnClose()
                connection.close()
                throw error
            }
        }
        do {
            var pragmas = configuration.connection
            pragmas.maxPageCount = nil
            try connection.applyPragmas(mode: .readWrite, configuration: pragmas)
            try migrations.apply(to: connection)
            // After the migrations, which must be able to grow the file.
            if let maxPageCount = configuration.connection.maxPageCount {
                try connection.setMaxPageCount(maxPageCount)
            }
            return connection
        } catch {
            connection.close()
            throw error
        }
    }

    /// Throws `StorageError.corrupt` unless `PRAGMA quick_check` answers exactly "ok".
    private static func checkIntegrity(of connection: SQLiteConnection) throws {
        let rows = try connection.query("PRAGMA quick_check")
        guard rows.count == 1, rows[0][0] == .text("ok") else {
            throw StorageError.corrupt
        }
    }

    private static func fileSize(atPath path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }
}
