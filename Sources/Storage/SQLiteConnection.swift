internal import CSQLite

/// One SQLite connection, opened with `SQLITE_OPEN_NOMUTEX`: use it from one thread at a time.
///
/// Prepared statements are cached per SQL string for the life of the connection.
public final class SQLiteConnection {
    /// The most statements kept in the cache; beyond it statements are prepared per use.
    static let statementCacheLimit = 256

    let handle: OpaquePointer
    private var cachedStatements: [String: Statement] = [:]
    /// The `synchronous` this connection was opened with (read-write connections), and whether commits are
    /// flushed now (`flushCommits`).
    private var configuredSynchronous: SynchronousMode?
    private var commitsFlushed = true
    private var isClosed = false
    /// Set on the writer connection only (`DatabaseWriter`).
    public internal(set) var writeMemo: WriteMemo?

    /// Opens `path` and applies the pragmas of `configuration`.
    ///
    /// Read-write connections also switch the database to WAL and turn `foreign_keys` on.
    public convenience init(
        path: String,
        mode: OpenMode = .readWriteCreate,
        configuration: Configuration = Configuration()
    ) throws {
        try self.init(openingPath: path, mode: mode, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        do {
            try applyPragmas(mode: mode, configuration: configuration)
        } catch {
            close()
            throw error
        }
    }

    /// Opens `path` setting only `busy_timeout`, so that nothing is written to the file yet.
    init(openingPath path: String, mode: OpenMode, busyTimeoutMilliseconds: Int) throws {
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var openedHandle: OpaquePointer?
        let resultCode = sqlite3_open_v2(path, &openedHandle, flags, nil)
        guard resultCode == SQLITE_OK, let openedHandle else {
            let error = StorageError(resultCode: resultCode, connectionHandle: openedHandle)
            sqlite3_close_v2(openedHandle)
            throw error
        }
        handle = openedHandle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeoutMilliseconds))
    }

    deinit {
        close()
    }

    func applyPragmas(mode: OpenMode, configuration: Configuration) throws {
        try execute("PRAGMA foreign_keys = ON")
        guard mode != .readOnly else {
            try execute("PRAGMA query_only = ON")
            return
        }
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = \(configuration.synchronous.rawValue)")
        configuredSynchronous = configuration.synchronous
        if let maxPageCount = configuration.maxPageCount {
            try setMaxPageCount(maxPageCount)
        }
    }

    /// Runs a script of one or more statements that take no parameters.
    public func execute(_ sql: String) throws {
        let resultCode = sqlite3_exec(handle, sql, nil, nil, nil)
        guard resultCode == SQLITE_OK else { throw error(resultCode) }
    }

    /// The prepared statement for `sql`, from the cache when possible, reset and with its
    /// bindings cleared.
    public func statement(_ sql: String) throws -> Statement {
        if let cached = cachedStatements[sql] {
            if !cached.isRunning {
                cached.reset()
                return cached
            }
            // The cached one is still being stepped (a nested query of the same SQL).
            return try prepare(sql)
        }
        let prepared = try prepare(sql)
        if cachedStatements.count < Self.statementCacheLimit {
            cachedStatements[sql] = prepared
        }
        return prepared
    }

    /// Runs one statement with `values` bound, stepping it to the end; returns `changes`.
    @discardableResult
    public func run(_ sql: String, _ values: [SQLValue]) throws -> Int {
        try statement(sql).run(values)
        return changes
    }

    /// Runs one statement with `values` bound and returns every row it produces.
    public func query(_ sql: String, _ values: [SQLValue]) throws -> [Row] {
        try statement(sql).query(values)
    }

    /// Rows changed by the most recent `INSERT`, `UPDATE` or `DELETE`.
    public var changes: Int {
        Int(sqlite3_changes64(handle))
    }

    /// The rowid of the most recent successful `INSERT`.
    public var lastInsertRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    /// `true` while a transaction is open (`BEGIN` without its `COMMIT` or `ROLLBACK`).
    public var isInTransaction: Bool {
        sqlite3_get_autocommit(handle) == 0
    }

    /// Finalizes the cached statements and closes the connection; later calls fail.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        cachedStatements.removeAll()
        // close_v2 waits for statements still referenced elsewhere to be finalized.
        sqlite3_close_v2(handle)
    }

    /// Resets every statement that is part way through its rows, so that the connection
    /// holds no read snapshot open between uses.
    func resetRunningStatements() {
        var next = sqlite3_next_stmt(handle, nil)
        while let statementHandle = next {
            if sqlite3_stmt_busy(statementHandle) != 0 {
                sqlite3_reset(statementHandle)
            }
            next = sqlite3_next_stmt(handle, statementHandle)
        }
    }

    /// Keeps the WAL from being checkpointed into the main file on close.
    func disableCheckpointOnClose() {
        _ = wg_sqlite3_disable_checkpoint_on_close(handle)
    }

    private func prepare(_ sql: String) throws -> Statement {
        var statementHandle: OpaquePointer?
        let resultCode = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statementHandle, nil)
        guard resultCode == SQLITE_OK, let statementHandle else {
            throw resultCode == SQLITE_OK
                ? StorageError.other(code: SQLITE_MISUSE, message: "no SQL statement in the string")
                : error(resultCode)
        }
        return Statement(handle: statementHandle)
    }

    private func error(_ resultCode: Int32) -> StorageError {
        StorageError(resultCode: resultCode, connectionHandle: handle)
    }
}

extension SQLiteConnection: EngineConnection {
    public var dialect: SQLDialect { .sqlite }

    func beginWriteTransaction() throws {
        try run("BEGIN IMMEDIATE")
    }

    func flushCommits(_ flush: Bool) throws -> Bool {
        guard configuredSynchronous == .full else { return false }
        guard flush != commitsFlushed else { return flush }
        // In WAL mode NORMAL writes the commit to the WAL without an fsync; the next FULL commit's fsync of the
        // WAL covers it (SQLite "PRAGMA synchronous").
        do {
            try execute(flush ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        } catch where !flush {
            // Could not stop flushing: the batch commits flushed, which is only slower.
            return true
        }
        commitsFlushed = flush
        return flush
    }

    var transactionHasFailed: Bool { false }

    func commitWriteTransaction() throws {
        try run("COMMIT")
    }

    func finishStatements() {
        resetRunningStatements()
    }

    func prepareForJob() {}
}
