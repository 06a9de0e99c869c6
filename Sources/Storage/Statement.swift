internal import CSQLite

/// A prepared statement of one `SQLiteConnection`; use it on that connection's thread.
public final class Statement {
    /// Tells SQLite to copy text and blobs before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `values` to parameters 1, 2, … in order.
    public func bind(_ values: [SQLValue]) throws {
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds `value` to the parameter at 1-based `index`.
    public func bind(_ value: SQLValue, at parameterIndex: Int) throws {
        let index = Int32(parameterIndex)
        let resultCode: Int32
        switch value {
        case .null:
            resultCode = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            resultCode = sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            resultCode = sqlite3_bind_double(handle, index, real)
        case .text(var text):
            resultCode = text.withUTF8 { bytes in
                // An empty buffer may have no base address, which SQLite would bind as NULL.
                guard let base = bytes.baseAddress, !bytes.isEmpty else {
                    return sqlite3_bind_text(handle, index, "", 0, Self.transient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text64(handle, index, $0, UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            resultCode = bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    return sqlite3_bind_zeroblob(handle, index, 0)
                }
                return sqlite3_bind_blob64(handle, index, base, UInt64(buffer.count), Self.transient)
            }
        }
        guard resultCode == SQLITE_OK else { throw error(resultCode) }
    }

    /// Advances to the next row: `true` when a row is ready, `false` when done.
    public func step() throws -> Bool {
        let resultCode = sqlite3_step(handle)
        switch resultCode {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let failure = error(resultCode)
            sqlite3_reset(handle)
            throw failure
        }
    }

    /// Binds `values`, steps to the end and rewinds; for statements that return no rows.
    public func run(_ values: [SQLValue] = []) throws {
        defer { reset() }
        try bind(values)
        while try step() {}
    }

    /// Binds `values`, copies out every row and rewinds.
    public func query(_ values: [SQLValue] = []) throws -> [Row] {
        defer { reset() }
        try bind(values)
        let names = columnNames
        var rows: [Row] = []
        while try step() {
            rows.append(Row(columnNames: names, values: self.values))
        }
        return rows
    }

    /// Rewinds the statement and clears its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Number of columns in each row.
    public var columnCount: Int {
        Int(sqlite3_column_count(handle))
    }

    /// The names of the result columns.
    public var columnNames: [String] {
        (0..<Int32(columnCount)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// `true` when the column at `index` of the current row is NULL.
    public func isNull(at index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    /// The column at `index` of the current row as an integer (NULL reads as 0).
    public func int64(at index: Int) -> Int64 {
        sqlite3_column_int64(handle, Int32(index))
    }

    /// The column at `index` of the current row as a double (NULL reads as 0).
    public func double(at index: Int) -> Double {
        sqlite3_column_double(handle, Int32(index))
    }

    /// The column at `index` of the current row as text, or `nil` when NULL.
    public func text(at index: Int) -> String? {
        let column = Int32(index)
        guard let characters = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: characters, count: count), as: UTF8.self)
    }

    /// The column at `index` of the current row as bytes, or `nil` when NULL.
    public func blob(at index: Int) -> [UInt8]? {
        let column = Int32(index)
        if sqlite3_column_type(handle, column) == SQLITE_NULL { return nil }
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// The column at `index` of the current row with its storage class.
    public func value(at index: Int) -> SQLValue {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_INTEGER: .integer(int64(at: index))
        case SQLITE_FLOAT: .real(double(at: index))
        case SQLITE_TEXT: text(at: index).map(SQLValue.text) ?? .null
        case SQLITE_BLOB: .blob(blob(at: index) ?? [])
        default: .null
        }
    }

    /// Every column of the current row.
    public var values: [SQLValue] {
        (0..<columnCount).map(value(at:))
    }

    /// `true` between the first `step` and the `reset` or end of rows.
    var isRunning: Bool {
        sqlite3_stmt_busy(handle) != 0
    }

    private func error(_ resultCode: Int32) -> StorageError {
        StorageError(resultCode: resultCode, connectionHandle: sqlite3_db_handle(handle))
    }
}
