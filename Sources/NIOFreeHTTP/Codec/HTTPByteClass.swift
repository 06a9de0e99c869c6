/// Byte classes of RFC 9110 and RFC 9112, as constant bitmaps and range checks for the hot paths.
enum HTTPByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A

    // Bitmaps over ASCII (bit n of low = byte n, bit n of high = byte 64 + n): constants, so no lazy global.
    // RFC 9110 §5.6.2 — tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static let tokenLow: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tokenHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE
    // RFC 3986 §3.2.2 — reg-name = *( unreserved / pct-encoded / sub-delims )
    private static let regNameLow: UInt64 = 0x2BFF_7FF2_0000_0000
    private static let regNameHigh: UInt64 = 0x47FF_FFFE_87FF_FFFE

    @inline(__always) private static func inBitmap(_ b: UInt8, _ low: UInt64, _ high: UInt64) -> Bool {
        b < 64 ? (low >> UInt64(b)) & 1 != 0 : b < 128 && (high >> UInt64(b &- 64)) & 1 != 0
    }

    @inline(__always) static func isToken(_ b: UInt8) -> Bool { inBitmap(b, tokenLow, tokenHigh) }
    @inline(__always) static func isRegName(_ b: UInt8) -> Bool { inBitmap(b, regNameLow, regNameHigh) }
    /// RFC 9110 §5.5 — field-vchar = VCHAR / obs-text, plus SP and HTAB inside a value: everything but CTLs and DEL.
    @inline(__always) static func isFieldValue(_ b: UInt8) -> Bool { b == htab || (b >= sp && b != 0x7F) }

    /// Whether every byte of `bytes` is `isFieldValue`, eight bytes at a time while no byte of a word is below SP
    /// or DEL (then byte by byte from that word on; a long value such as a bearer token is checked in words).
    @inline(__always) static func allFieldValue(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var i = 0
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let del = word ^ 0x7F7F_7F7F_7F7F_7F7F
            // A byte below 0x20, or a byte equal to 0x7F (bytes of 0x80 and up are obs-text: allowed).
            if ((word &- 0x2020_2020_2020_2020) & ~word | (del &- ones) & ~del) & highs != 0 { break }
            i += 8
        }
        while i < count {
            guard isFieldValue(base.load(fromByteOffset: i, as: UInt8.self)) else { return false }
            i += 1
        }
        return true
    }
    /// Request-target: visible ASCII only, no "#" (a fragment is never sent, RFC 9112 §3.2).
    @inline(__always) static func isTarget(_ b: UInt8) -> Bool { b &- 0x21 < 0x5E && b != 0x23 }
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
