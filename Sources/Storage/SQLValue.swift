/// A value bound to a statement parameter or read from a result column.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The integer, or `nil` when the value is not `.integer`.
    public var int64Value: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The number as a `Double` for `.real` and `.integer`, otherwise `nil`.
    public var doubleValue: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The string, or `nil` when the value is not `.text`.
    public var stringValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The bytes, or `nil` when the value is not `.blob`.
    public var bytesValue: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    /// `true` for `.null`.
    public var isNull: Bool { self == .null }
}
