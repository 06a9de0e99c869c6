/// Why a Weavr JSON document was refused, and at which byte.
public struct WeavrJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Not JSON (RFC 8259), or something after the document.
        case syntax
        /// A string with bytes that are not UTF-8.
        case invalidUTF8
        /// A value of another type than the field's.
        case typeMismatch
        /// A required member absent or null.
        case missingField(String)
        /// A member named twice in one object.
        case duplicateKey
        /// Nested deeper than `WeavrJSONReader.maxDepth`.
        case tooDeep
    }

    public var reason: Reason
    public var offset: Int

    public var description: String { "\(reason) at byte \(offset)" }
}
