/// Why `DatabaseCopy` did not copy; the target's transaction was rolled back, nothing of the copy remains.
public enum DatabaseCopyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The source is not an SQLite database (its tables are listed from `sqlite_master`).
    case sourceNotSQLite
    /// A source table has no primary key, so it cannot be read and checked a page at a time.
    case noPrimaryKey(table: String)
    /// The target has no table of that name (its schema is older, or the table is SQLite-only).
    case targetTableMissing(table: String)
    /// The target's table lacks a column the source has.
    case targetColumnMissing(table: String, column: String)
    /// The tables' foreign keys form a cycle: no insertion order satisfies them.
    case dependencyCycle(tables: [String])
    /// After the copy, the target's table differs from the source's snapshot (row count, or the digest of
    /// every value, such as a number or bytes changed on the way).
    case contentMismatch(table: String, sourceRows: Int, targetRows: Int)

    public var description: String {
        switch self {
        case .sourceNotSQLite:
            "the source must be an SQLite database"
        case .noPrimaryKey(let table):
            "table \(table) has no primary key: it cannot be copied and checked a page at a time"
        case .targetTableMissing(let table):
            "the target has no table \(table)"
        case .targetColumnMissing(let table, let column):
            "the target's table \(table) has no column \(column)"
        case .dependencyCycle(let tables):
            "the foreign keys of tables \(tables.joined(separator: ", ")) form a cycle: no insertion order satisfies them"
        case .contentMismatch(let table, let sourceRows, let targetRows):
            sourceRows == targetRows
                ? "table \(table) differs from the source after the copy (\(targetRows) rows, but not the same values)"
                : "table \(table) has \(targetRows) rows after the copy, the source \(sourceRows)"
        }
    }
}
