extension SessionClaims {
    /// The most digits of `iat`/`exp` (seconds until the year 33658).
    static let maxTimeDigits = 12
    /// The most bytes of `sub` and `aud`.
    static let maxTextLength = 128

    /// Whether every field is within the token's grammar (checked before signing and after
    /// verifying, so a token can only ever carry values of these shapes).
    var isWellFormed: Bool {
        sid.utf8.count == 32 && sid.utf8.allSatisfy(Self.isLowerHex)
            && Tenant.isSlug(tid)
            && Self.isText(sub) && Self.isText(aud)
            && iat >= 0 && exp > iat && exp < 1_000_000_000_000
    }

    /// The one canonical JSON encoding: fixed key order, no whitespace, no escapes.
    var canonicalJSON: [UInt8] {
        Array(#"{"sid":"\#(sid)","tid":"\#(tid)","sub":"\#(sub)","aud":"\#(aud)","iat":\#(iat),"exp":\#(exp)}"#.utf8)
    }

    /// Parses exactly the canonical encoding; anything else (reordered, duplicate or extra
    /// keys, whitespace, escapes, floats, leading zeros, trailing bytes) is `nil`.
    init?(canonicalJSON bytes: [UInt8]) {
        var cursor = bytes[...]
        func literal(_ text: StaticString) -> Bool {
            let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            guard cursor.starts(with: expected) else { return false }
            cursor = cursor.dropFirst(expected.count)
            return true
        }
        func string() -> String? {
            guard let end = cursor.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            let value = cursor[..<end]
            guard value.count <= Self.maxTextLength, value.allSatisfy(Self.isTextByte) else { return nil }
            cursor = cursor[end...]
            return String(decoding: value, as: UTF8.self)
        }
        func number() -> Int64? {
            let digits = cursor.prefix { (0x30...0x39).contains($0) }
            guard (1...Self.maxTimeDigits).contains(digits.count), digits.first != 0x30 || digits.count == 1 else { return nil }
            cursor = cursor.dropFirst(digits.count)
            // At most `maxTimeDigits` (< 19) digits: no overflow.
            return digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
        }
        guard literal(#"{"sid":""#), let sid = string(),
              literal(#"","tid":""#), let tid = string(),
              literal(#"","sub":""#), let sub = string(),
              literal(#"","aud":""#), let aud = string(),
              literal(#"","iat":"#), let iat = number(),
              literal(#","exp":"#), let exp = number(),
              literal("}"), cursor.isEmpty
        else { return nil }
        self.init(sid: sid, tid: tid, sub: sub, aud: aud, iat: iat, exp: exp)
        guard isWellFormed else { return nil }
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// `sub`/`aud` bytes: `A-Z a-z 0-9 . _ : @ -` — nothing that needs JSON escaping.
    private static func isTextByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
    }

    private static func isText(_ value: String) -> Bool {
        (1...maxTextLength).contains(value.utf8.count) && value.utf8.allSatisfy(isTextByte)
    }
}
