/// A wire type that reads itself from Weavr's JSON with `WeavrJSONReader`, so `WeavrClient` decodes it
/// without Foundation's `JSONDecoder`. Its result must equal `JSONDecoder`'s for every document both accept
/// (`WeavrJSONTests` and the `weavr-json` fuzz target check this).
public protocol WeavrJSONDecodable: Sendable {
    /// Reads one value (an object, for the wire types) from `json`.
    init(json: inout WeavrJSONReader) throws(WeavrJSONError)
}

/// Entry point of the reader.
public enum WeavrJSON {
    /// Decodes the whole of `bytes` as one `T`; anything but whitespace after it is refused.
    public static func decode<T: WeavrJSONDecodable>(_ type: T.Type, from bytes: [UInt8]) throws(WeavrJSONError) -> T {
        try bytes.withUnsafeBufferPointer { buffer throws(WeavrJSONError) -> T in
            var reader = WeavrJSONReader(bytes: buffer)
            let value = try T(json: &reader)
            reader.skipWhitespace()
            guard reader.isAtEnd else { throw reader.failure(.syntax) }
            return value
        }
    }

    /// A required member's value, or `.missingField` (absent, or null: `JSONDecoder` refuses both).
    public static func required<T>(_ value: T?, _ name: String, _ json: borrowing WeavrJSONReader) throws(WeavrJSONError) -> T {
        guard let value else { throw json.failure(.missingField(name)) }
        return value
    }
}
