import GatewayCore

/// A configuration value after parsing (from JSON, an environment variable or a flag).
public enum ConfigurationValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int)
    case string(String)
    case boolean(Bool)
    case null

    /// As it would be written in the JSON file.
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .string(let value): JSONString.quoted(value)
        case .boolean(let value): String(value)
        case .null: "null"
        }
    }
}
