import Foundation
import Storage

/// One key of ``GatewayConfiguration``: its path in the JSON file, the form its value takes, its meaning,
/// whether SIGHUP applies it, and how to read and write it.
public struct ConfigurationKey {
    /// The value a key accepts.
    public enum Form: Sendable, Equatable {
        case integer(ClosedRange<Int>)
        /// An integer in range, or null for "not set".
        case optionalInteger(ClosedRange<Int>)
        case string
        /// A file path, or null for "not set".
        case optionalPath
        case boolean
        /// Addresses or CIDR networks: a JSON array of strings, or one comma-separated string (`trustedProxies`).
        case addressList

        /// "an integer 0…65535", for error messages and the README.
        public var expectation: String {
            switch self {
            case .integer(let range): "an integer \(range.lowerBound)…\(range.upperBound)"
            case .optionalInteger(let range): "an integer \(range.lowerBound)…\(range.upperBound) or null"
            case .string: "a string"
            case .optionalPath: "a file path (string) or null"
            case .boolean: "true or false"
            case .addressList: "a list of IP addresses or CIDR networks (JSON array, or comma-separated)"
            }
        }
    }

    /// Dotted path in the JSON file, e.g. `listen.port`.
    public let path: String
    public let form: Form
    /// One line for the README and `config reference`.
    public let meaning: String
    /// Applied on SIGHUP; false means a change needs a restart.
    public let reloadable: Bool
    let get: (GatewayConfiguration) -> ConfigurationValue
    let set: (inout GatewayConfiguration, ConfigurationValue) -> Void

    /// `WEAVR_GATEWAY_` + the path in upper snake case: `listen.port` → `WEAVR_GATEWAY_LISTEN_PORT`,
    /// `limits.maxConnectionsPerIP` → `WEAVR_GATEWAY_LIMITS_MAX_CONNECTIONS_PER_IP`,
    /// `rateLimits.loginPerClientIPPerMinute` → `WEAVR_GATEWAY_RATE_LIMITS_LOGIN_PER_CLIENT_IP_PER_MINUTE`.
    public var environmentName: String {
        var name = "WEAVR_GATEWAY_"
        var previous: Character = "_"
        let characters = Array(path)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : "_"
            if character == "." {
                name += "_"
            } else if character.isUppercase, previous.isLowercase || previous.isNumber || (previous.isUppercase && next.isLowercase) {
                name += "_" + character.uppercased()
            } else if character.isNumber, previous.isLetter {
                name += "_" + String(character)
            } else {
                name += character.uppercased()
            }
            previous = character
        }
        return name
    }

    /// The default, as written in the file.
    public var defaultValue: ConfigurationValue { self.get(GatewayConfiguration()) }

    /// Parses the text of an environment variable or flag.
    func parse(text: String) -> ConfigurationValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch form {
        case .integer(let range):
            guard let value = Int(trimmed), range.contains(value) else { return nil }
            return .integer(value)
        case .optionalInteger(let range):
            if trimmed.isEmpty || trimmed == "null" { return .null }
            guard let value = Int(trimmed), range.contains(value) else { return nil }
            return .integer(value)
        case .string:
            return trimmed.isEmpty ? nil : .string(trimmed)
        case .optionalPath:
            return trimmed.isEmpty ? .null : .string(text)
        case .addressList:
            return Self.addressList(trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": return .boolean(true)
            case "false", "0", "no", "off": return .boolean(false)
            default: return nil
            }
        }
    }

    /// Checks a JSON value against the form.
    func accept(_ json: JSONValue) -> ConfigurationValue? {
        switch (form, json) {
        case (.integer(let range), .integer(let value)) where range.contains(value): .integer(value)
        case (.optionalInteger(let range), .integer(let value)) where range.contains(value): .integer(value)
        case (.optionalInteger, .null): .null
        case (.string, .string(let value)) where !value.isEmpty: .string(value)
        case (.optionalPath, .string(let value)) where !value.isEmpty: .string(value)
        case (.optionalPath, .null): .null
        case (.boolean, .boolean(let value)): .boolean(value)
        case (.addressList, .string(let text)): parse(text: text)
        case (.addressList, .array(let values)):
            Self.addressList(values.compactMap { if case .string(let text) = $0 { text } else { nil } }, expected: values.count)
        default: nil
        }
    }

    /// The canonical value of an address list (comma-joined), or nil when an entry is not an address or CIDR.
    private static func addressList(_ entries: [String], expected: Int? = nil) -> ConfigurationValue? {
        let entries = entries.filter { !$0.isEmpty }
        guard expected.map({ $0 == entries.count }) ?? true, case .success = TrustedProxies.parse(entries) else { return nil }
        return .string(entries.joined(separator: ", "))
    }
}

extension ConfigurationKey {
    static func integer(
        _ path: String, _ keyPath: WritableKeyPath<GatewayConfiguration, Int>, _ range: ClosedRange<Int>,
        reloadable: Bool, _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(path: path, form: .integer(range), meaning: meaning, reloadable: reloadable,
                         get: { .integer($0[keyPath: keyPath]) },
                         set: { if case .integer(let value) = $1 { $0[keyPath: keyPath] = value } })
    }

    static func optionalInteger(
        _ path: String, _ keyPath: WritableKeyPath<GatewayConfiguration, Int?>, _ range: ClosedRange<Int>,
        reloadable: Bool, _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(path: path, form: .optionalInteger(range), meaning: meaning, reloadable: reloadable,
                         get: { $0[keyPath: keyPath].map { .integer($0) } ?? .null },
                         set: { configuration, value in
                             if case .integer(let number) = value { configuration[keyPath: keyPath] = number } else { configuration[keyPath: keyPath] = nil }
                         })
    }

    static func string(
        _ path: String, _ keyPath: WritableKeyPath<GatewayConfiguration, String>, reloadable: Bool, _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(path: path, form: .string, meaning: meaning, reloadable: reloadable,
                         get: { .string($0[keyPath: keyPath]) },
                         set: { if case .string(let value) = $1 { $0[keyPath: keyPath] = value } })
    }

    static func path(
        _ path: String, _ keyPath: WritableKeyPath<GatewayConfiguration, String?>, reloadable: Bool, _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(path: path, form: .optionalPath, meaning: meaning, reloadable: reloadable,
                         get: { $0[keyPath: keyPath].map { .string($0) } ?? .null },
                         set: { configuration, value in
                             if case .string(let text) = value { configuration[keyPath: keyPath] = text } else { configuration[keyPath: keyPath] = nil }
                         })
    }

    /// A database URL: shown and compared without its password.
    static func databaseURL(_ path: String, _ keyPath: WritableKeyPath<GatewayConfiguration, String?>, _ meaning: String) -> ConfigurationKey {
        ConfigurationKey(path: path, form: .optionalPath, meaning: meaning, reloadable: false,
                         get: { $0[keyPath: keyPath].map { .string(Database.redacted(url: $0)) } ?? .null },
                         set: { configuration, value in
                             if case .string(let text) = value { configuration[keyPath: keyPath] = text } else { configuration[keyPath: keyPath] = nil }
                         })
    }

    static func addressList(
        _ path: String, _ keyPath: WritableKeyPath<GatewayConfiguration, [String]>, reloadable: Bool, _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(path: path, form: .addressList, meaning: meaning, reloadable: reloadable,
                         get: { .string($0[keyPath: keyPath].joined(separator: ", ")) },
                         set: { configuration, value in
                             guard case .string(let text) = value else { return }
                             configuration[keyPath: keyPath] = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                         })
    }

    static func boolean(
        _ path: String, _ keyPath: WritableKeyPath<GatewayConfiguration, Bool>, reloadable: Bool, _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(path: path, form: .boolean, meaning: meaning, reloadable: reloadable,
                         get: { .boolean($0[keyPath: keyPath]) },
                         set: { if case .boolean(let value) = $1 { $0[keyPath: keyPath] = value } })
    }
}
