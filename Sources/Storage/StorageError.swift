/// A storage failure, classified so that callers can decide how to answer.
///
/// Messages come from `sqlite3_errmsg`, which names tables, columns and constraints but
/// never the values bound to a statement; nothing here adds them.
public enum StorageError: Error, Sendable, Hashable {
    /// Another connection holds the lock and `busy_timeout` ran out (`SQLITE_BUSY`).
    case busy
    /// A table is locked inside this process (`SQLITE_LOCKED`).
    case locked
    /// The disk or `max_page_count` is full (`SQLITE_FULL`).
    case full
    /// The operating system reported an I/O error (`SQLITE_IOERR`).
    case ioError
    /// The database file is damaged (`SQLITE_CORRUPT`, or `PRAGMA quick_check` did not say "ok").
    case corrupt
    /// The database or its directory cannot be written (`SQLITE_READONLY`).
    case readOnly
    /// A `UNIQUE`, `CHECK`, `NOT NULL` or foreign key constraint failed; the message names it.
    case constraint(String)
    /// The file exists but is not an SQLite database (`SQLITE_NOTADB`).
    case notADatabase
    /// The database was written by a newer version of the gateway than this one.
    case schemaTooNew(databaseVersion: Int, latestKnownVersion: Int)
    /// The database has been closed.
    case closed
    /// The database server cannot be reached (PostgreSQL: connection refused or lost, server shutting
    /// down); the connection is retried with backoff.
    case unreachable
    /// Any other SQLite result code.
    case other(code: Int32, message: String)

    /// `true` when the failure is about the database being unavailable rather than the
    /// request being wrong: the gateway fails the mutation closed with 503.
    public var isUnavailable: Bool {
        switch self {
        case .busy, .locked, .full, .ioError, .readOnly, .closed, .unreachable: true
        case .corrupt, .constraint, .notADatabase, .schemaTooNew, .other: false
        }
    }
}
