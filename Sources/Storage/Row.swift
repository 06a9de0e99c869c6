/// One result row, copied out of the statement.
public struct Row: Sendable, Hashable {
    /// The result column names, in order.
    public let columnNames: [String]
    /// The values, in column order.
    public let values: [SQLValue]

    /// Creates a row from its column names and values.
    public init(columnNames: [String], values: [SQLValue]) {
        self.columnNames = columnNames
        self.values = values
    }

    /// The value at 0-based column `index`.
    public subscript(index: Int) -> SQLValue {
        values[index]
    }

    /// The value of the column called `name`, or `nil` when there is no such column.
    public subscript(name: String) -> SQLValue? {
        columnNames.firstIndex(of: name).map { values[$0] }
    }
}
