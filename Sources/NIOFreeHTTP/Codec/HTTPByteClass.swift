/// Byte classes of RFC 9110 and RFC 9112, as table lookups for the hot paths.
enum HTTPByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A

    private static let tokenFlag: UInt8 = 1
    private static let valueFlag: UInt8 = 2
    private static let targetFlag: UInt8 = 4
    private static let hostFlag: UInt8 = 8

    /// Per-byte flags: token char, field-value char, request-target char, reg-name char.
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        // RFC 9110 §5.6.2 — tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        for b in Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8) {
            t[Int(b)] |= tokenFlag
        }
        // RFC 9110 §5.5 — field-vchar = VCHAR / obs-text, plus SP and HTAB inside a value.
        t[0x09] |= valueFlag
        for b in 0x20...0x7E { t[b] |= valueFlag }
        for b in 0x80...0xFF { t[b] |= valueFlag }
        // Request-target: visible ASCII only, no "#" (a fragment is never sent, RFC 9112 §3.2).
        for b in 0x21...0x7E where b != 0x23 { t[b] |= targetFlag }
        // RFC 3986 §3.2.2 — reg-name = *( unreserved / pct-encoded / sub-delims )
        for b in Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()*+,;=".utf8) {
            t[Int(b)] |= hostFlag
        }
        return t
    }()

    @inline(__always) static func isToken(_ b: UInt8) -> Bool { table[Int(b)] & tokenFlag != 0 }
    @inline(__always) static func isFieldValue(_ b: UInt8) -> Bool { table[Int(b)] & valueFlag != 0 }
    @inline(__always) static func isTarget(_ b: UInt8) -> Bool { table[Int(b)] & targetFlag != 0 }
    @inline(__always) static func isRegName(_ b: UInt8) -> Bool { table[Int(b)] & hostFlag != 0 }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool { b == sp || b == htab }
    @inline(__always) static func lowercased(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// The value of a hex digit, or nil.
    @inline(__always) static func hexValue(_ b: UInt8) -> Int? {
        if b &- 0x30 < 10 { return Int(b &- 0x30) }
        let l = b | 0x20
        if l &- 0x61 < 6 { return Int(l &- 0x61) + 10 }
        return nil
    }

    /// Whether `bytes` equals the lowercase ASCII `lower`, ignoring case.
    @inline(__always) static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let l = lower.utf8Start
        for i in 0..<bytes.count where lowercased(bytes[i]) != l[i] {
            return false
        }
        return true
    }

    /// The offset of the first LF in `buffer[from...]`, or nil. Scans eight bytes at a time.
    @inline(__always) static func firstLF(in buffer: UnsafeRawBufferPointer, from: Int) -> Int? {
        var i = from
        let n = buffer.count
        guard let base = buffer.baseAddress else { return nil }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while i + 8 <= n {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
            if (word &- ones) & ~word & highs != 0 { break }
            i += 8
        }
        while i < n {
            if base.load(fromByteOffset: i, as: UInt8.self) == lf { return i }
            i += 1
        }
        return nil
    }
}
