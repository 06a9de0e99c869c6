internal import CSQLite

extension StorageError {
    /// Classifies a failed SQLite call; the message is read from `connectionHandle`.
    init(resultCode: Int32, connectionHandle: OpaquePointer?) {
        let message = connectionHandle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(resultCode))
        switch resultCode & 0xFF {
        case SQLITE_BUSY: self = .busy
        case SQLITE_LOCKED: self = .locked
        case SQLITE_FULL: self = .full
        case SQLITE_IOERR: self = .ioError
        case SQLITE_CORRUPT: self = .corrupt
        case SQLITE_READONLY: self = .readOnly
        case SQLITE_CONSTRAINT: self = .constraint(message)
        case SQLITE_NOTADB: self = .notADatabase
        default: self = .other(code: resultCode, message: message)
        }
    }
}
