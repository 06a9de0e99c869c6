/// Strict Base64 (RFC 4648 §4) and base64url (RFC 4648 §5).
///
/// Decoding is canonical: one encoding per byte string, so a changed character never
/// decodes to the same bytes (the unused low bits of the last character must be zero,
/// RFC 4648 §3.5).
public enum Base64 {
    private static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// base64url without padding (RFC 7515 §2 "Base64url Encoding").
    public static func urlEncode(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: urlAlphabet, pad: false)
    }

    /// Standard Base64 with `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: standardAlphabet, pad: true)
    }

    /// Decodes unpadded base64url; `nil` on padding, any other character, or non-canonical input.
    public static func urlDecode<S: Collection<UInt8>>(_ input: S) -> [UInt8]? {
        decode(input, url: true)
    }

    /// Decodes standard Base64 with optional correct padding; `nil` otherwise.
    public static func decode(_ string: String) -> [UInt8]? {
        var input = Array(string.utf8)
        if input.count % 4 == 0 {
            var padding = 0
            while padding < 2, input.last == UInt8(ascii: "=") {
                input.removeLast()
                padding += 1
            }
        }
        return decode(input, url: false)
    }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], pad: Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(alphabet[Int(value >> 6 & 63)])
            out.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let value = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            if pad { out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")]) }
        } else if rest == 2 {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(alphabet[Int(value >> 6 & 63)])
            if pad { out.append(UInt8(ascii: "=")) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func value(_ c: UInt8, url: Bool) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(c - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "-") where url, UInt8(ascii: "+") where !url: 62
        case UInt8(ascii: "_") where url, UInt8(ascii: "/") where !url: 63
        default: nil
        }
    }

    /// Each byte's value in each alphabet, 0xFF for bytes outside it.
    private static let standardValues: [UInt8] = (0...255).map { UInt8(value(UInt8($0), url: false) ?? 0xFF) }
    private static let urlValues: [UInt8] = (0...255).map { UInt8(value(UInt8($0), url: true) ?? 0xFF) }

    /// `urlDecode` into `out` (at least `input.count * 3 / 4` bytes): the number of bytes written, or nil
    /// for the input `urlDecode` refuses. For callers that decode into stack memory (a token on every request).
    public static func urlDecode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        decode(input, values: urlValues, into: out)
    }

    /// Decodes unpadded input.
    private static func decode<S: Collection<UInt8>>(_ input: S, url: Bool) -> [UInt8]? {
        let bytes = Array(input)
        var decoded = true
        let out = bytes.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count * 3 / 4) { buffer, count in
                let written = decode(source, values: url ? urlValues : standardValues, into: buffer)
                decoded = written != nil
                count = written ?? 0
            }
        }
        return decoded ? out : nil
    }

    /// The one decoder: unpadded `input` in the alphabet of `values` into `out`; the bytes written, or nil.
    private static func decode(_ input: UnsafeBufferPointer<UInt8>, values: [UInt8], into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        // A remainder of one character cannot encode a whole byte.
        guard input.count % 4 != 1, out.count >= input.count * 3 / 4 else { return nil }
        return values.withUnsafeBufferPointer { values -> Int? in
            var written = 0
            var accumulator: UInt32 = 0
            var bits = 0
            for c in input {
                let v = values[Int(c)]
                guard v != 0xFF else { return nil }
                accumulator = accumulator << 6 | UInt32(v)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                    written += 1
                    accumulator &= (1 << UInt32(bits)) - 1
                }
            }
            // RFC 4648 §3.5: the pad bits must be zero, or the encoding is not canonical.
            return accumulator == 0 ? written : nil
        }
    }
}
