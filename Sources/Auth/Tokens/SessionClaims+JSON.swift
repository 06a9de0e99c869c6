extension SessionClaims {
    /// The most digits of `iat`/`exp` (seconds until the year 33658).
    static let maxTimeDigits = 12
    /// The most bytes of `sub` and `aud`.
    static let maxTextLength = 128

    /// Whether every field is within the token's grammar (checked before signing and after
    /// verifying, so a token can only ever carry values of these shapes).
    var isWellFormed: Bool {
        Self.isSID(sid.utf8) && Tenant.isSlug(bytes: tid.utf8) && Self.isText(sub.utf8) && Self.isText(aud.utf8)
            && Self.areTimes(iat: iat, exp: exp)
    }

    /// The one canonical JSON encoding: fixed key order, no whitespace, no escapes.
    var canonicalJSON: [UInt8] {
        Array(#"{"sid":"\#(sid)","tid":"\#(tid)","sub":"\#(sub)","aud":"\#(aud)","iat":\#(iat),"exp":\#(exp)}"#.utf8)
    }

    /// Parses exactly the canonical encoding; anything else (reordered, duplicate or extra
    /// keys, whitespace, escapes, floats, leading zeros, trailing bytes) is `nil`.
    init?(canonicalJSON bytes: [UInt8]) {
        guard let claims = bytes.withUnsafeBufferPointer({ Self(canonicalJSON: $0) }) else { return nil }
        self = claims
    }

    /// `init?(canonicalJSON:)` over a buffer (a verified token's payload, decoded on the stack). Each field is
    /// checked as bytes, with the same rules as `isWellFormed`, before it becomes a `String`.
    init?(canonicalJSON bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
            index += count
            return true
        }
        func string() -> UnsafeBufferPointer<UInt8>? {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += 1 }
            guard index < bytes.count else { return nil }
            let value = UnsafeBufferPointer(rebasing: bytes[start..<index])
            guard value.count <= Self.maxTextLength, value.allSatisfy(Self.isTextByte) else { return nil }
            return value
        }
        func number() -> Int64? {
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]), index - start <= Self.maxTimeDigits { index += 1 }
            let count = index - start
            guard (1...Self.maxTimeDigits).contains(count), bytes[start] != 0x30 || count == 1 else { return nil }
            // At most `maxTimeDigits` (< 19) digits: no overflow.
            var value: Int64 = 0
            for offset in start..<index { value = value * 10 + Int64(bytes[offset] - 0x30) }
            return value
        }
        guard literal(#"{"sid":""#), let sid = string(), Self.isSID(sid),
              literal(#"","tid":""#), let tid = string(), Tenant.isSlug(bytes: tid),
              literal(#"","sub":""#), let sub = string(), Self.isText(sub),
              literal(#"","aud":""#), let aud = string(), Self.isText(aud),
              literal(#"","iat":"#), let iat = number(),
              literal(#","exp":"#), let exp = number(), Self.areTimes(iat: iat, exp: exp),
              literal("}"), index == bytes.count
        else { return nil }
        self.init(
            sid: String(decoding: sid, as: UTF8.self), tid: String(decoding: tid, as: UTF8.self),
            sub: String(decoding: sub, as: UTF8.self), aud: String(decoding: aud, as: UTF8.self), iat: iat, exp: exp
        )
    }

    /// 32 lower-case hex characters.
    private static func isSID<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.count == 32 && bytes.allSatisfy(isLowerHex)
    }

    private static func areTimes(iat: Int64, exp: Int64) -> Bool {
        iat >= 0 && exp > iat && exp < 1_000_000_000_000
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// `sub`/`aud` bytes: `A-Z a-z 0-9 . _ : @ -` — nothing that needs JSON escaping. A bitmap over ASCII
    /// (bit n of the first word is byte n, of the second byte 64 + n): checked for every byte of every token.
    @inline(__always) private static func isTextByte(_ byte: UInt8) -> Bool {
        let low: UInt64 = 0x07FF_6000_0000_0000
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFF
        return byte < 64 ? (low >> UInt64(byte)) & 1 != 0 : byte < 128 && (high >> UInt64(byte &- 64)) & 1 != 0
    }

    private static func isText<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        (1...maxTextLength).contains(bytes.count) && bytes.allSatisfy(isTextByte)
    }
}
