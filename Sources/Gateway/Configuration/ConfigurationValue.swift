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
        case .string(let value): Self.quoted(value)
        case .boolean(let value): String(value)
        case .null: "null"
        }
    }

    /// `text` as a JSON string literal (for messages and `config check` output).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
