extension StorageError: CustomStringConvertible {
    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .busy: "database is busy (locked by another connection)"
        case .locked: "database table is locked"
        case .full: "database or disk is full"
        case .ioError: "disk I/O error"
        case .corrupt: "database file is corrupt"
        case .readOnly: "database is read-only"
        case .constraint(let message): message
        case .notADatabase: "file is not a database"
        case .schemaTooNew(let databaseVersion, let latestKnownVersion):
            "database schema version \(databaseVersion) is newer than the latest this build knows (\(latestKnownVersion)); refusing to open it"
        case .closed: "database is closed"
        case .unreachable: "database server is unreachable"
        case .other(let code, let message): code == 0 ? message : "SQLite error \(code): \(message)"
        }
    }
}
