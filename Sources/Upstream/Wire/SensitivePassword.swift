/// Weavr's `SensitivePassword` `{value}`. Its description never shows the value.
public struct SensitivePassword: Sendable, Equatable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    public var value: String

    public init(value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
