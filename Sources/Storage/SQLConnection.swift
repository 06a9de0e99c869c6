/// The connection a store's job runs on, whichever engine is behind it (docs/ARCHITECTURE.md,
/// "Stores and their guarantees").
///
/// Stores write one SQL text for both engines: `?` placeholders (PostgreSQL's connection numbers
/// them `$1…`), `INSERT … ON CONFLICT`, `RETURNING`, and no engine-specific functions. Where the
/// engines differ, a store asks `dialect`.
public protocol SQLConnection: AnyObject {
    /// Which engine runs the SQL.
    var dialect: SQLDialect { get }
    /// Runs one statement with `values` bound; returns the rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue]) throws -> Int
    /// Runs one statement with `values` bound and returns every row it produces.
    func query(_ sql: String, _ values: [SQLValue]) throws -> [Row]
    /// Runs a script of one or more statements that take no parameters.
    func execute(_ script: String) throws
    /// Values shared by the jobs of the current write transaction (`WriteMemo`); `nil` on readers
    /// and outside the writer.
    var writeMemo: WriteMemo? { get }
}

extension SQLConnection {
    /// Runs one statement without parameters; returns the rows it changed.
    @discardableResult
    public func run(_ sql: String) throws -> Int {
        try run(sql, [])
    }

    /// Runs one query without parameters.
    public func query(_ sql: String) throws -> [Row] {
        try query(sql, [])
    }

    /// Sets SQLite's `PRAGMA max_page_count` (SQLite never lowers it below the current size); PostgreSQL
    /// has no such limit and refuses.
    public func setMaxPageCount(_ pages: Int) throws {
        guard dialect == .sqlite else { throw StorageError.other(code: 0, message: "max_page_count is SQLite's") }
        try execute("PRAGMA max_page_count = \(pages)")
    }
}

/// The SQL engines the gateway stores its data in.
public enum SQLDialect: String, Sendable, Hashable {
    /// The embedded default: one file, one serving process.
    case sqlite
    /// The shared store of several instances (system libpq).
    case postgres
}

/// What the writer thread and the reader threads need of a connection, beyond running SQL.
protocol EngineConnection: SQLConnection {
    /// The writer sets a memo on its connection; readers have none.
    var writeMemo: WriteMemo? { get set }
    /// Opens the write transaction of a batch (SQLite `BEGIN IMMEDIATE`; PostgreSQL `BEGIN` and the
    /// cluster-wide writer lock, so batches of several instances never deadlock).
    func beginWriteTransaction() throws
    /// Asks that the next write transactions' commits be flushed to disk or not (`WriteDurability`), and returns
    /// whether they will be. SQLite configured `synchronous=FULL` switches between FULL and NORMAL (and throws when
    /// it cannot switch back to FULL: a batch that needs its flush must then not run; when it cannot leave FULL the
    /// commits stay flushed); other SQLite settings and PostgreSQL keep theirs.
    func flushCommits(_ flush: Bool) throws -> Bool
    /// Commits it; throws unless the transaction really committed (PostgreSQL answers `COMMIT` on a
    /// transaction aborted by a failed statement with a silent `ROLLBACK`).
    func commitWriteTransaction() throws
    /// `true` while a transaction is open.
    var isInTransaction: Bool { get }
    /// `true` when a statement failed inside the open transaction and it can only be rolled back
    /// (PostgreSQL; SQLite goes on after a failed statement).
    var transactionHasFailed: Bool { get }
    /// Ends statements still part way through their rows (SQLite); a no-op elsewhere.
    func finishStatements()
    /// Closes the connection; later calls fail.
    func close()
    /// Called by the storage thread before each job: PostgreSQL reconnects a broken connection
    /// (with backoff); SQLite does nothing.
    func prepareForJob()
}
