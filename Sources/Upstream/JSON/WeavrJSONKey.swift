/// One string as the reader found it: the document's own bytes when it had no escapes (no copy), else
/// its unescaped bytes. Member names are matched against literals with `~=`, so `switch key { case "id": … }`
/// reads an object without making a `String` per name.
public struct WeavrJSONKey {
    let raw: UnsafeBufferPointer<UInt8>
    let unescaped: [UInt8]?

    /// The string's text (its UTF-8 was validated when it was read).
    public var string: String {
        if let unescaped { return String(decoding: unescaped, as: UTF8.self) }
        return String(decoding: raw, as: UTF8.self)
    }

    /// Whether the string is exactly `text`.
    public func equals(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { equals($0) }
    }

    func equals(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        if let unescaped { return unescaped.elementsEqual(other) }
        guard raw.count == other.count else { return false }
        guard let base = raw.baseAddress, let otherBase = other.baseAddress else { return true }
        for offset in 0..<raw.count where base[offset] != otherBase[offset] { return false }
        return true
    }

    /// A `switch` over member names tries each case in turn: a length that differs (most of them) is refused
    /// inline, before any byte is compared.
    @inline(__always)
    public static func ~= (pattern: StaticString, key: WeavrJSONKey) -> Bool {
        let count = pattern.utf8CodeUnitCount
        if key.unescaped == nil, key.raw.count != count { return false }
        return key.equals(UnsafeBufferPointer(start: pattern.utf8Start, count: count))
    }
}
