/// Validation of an authority (`host [ ":" port ]`) as found in `Host` and absolute-form targets.
enum HTTPAuthority {
    /// Whether `bytes` is a reg-name, an IPv4 address or a bracketed IPv6 address, optionally followed by ":" and digits.
    /// Userinfo ("@"), paths ("/"), spaces and control characters are rejected.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard n > 0 else { return false }
        var i = 0
        if bytes[0] == UInt8(ascii: "[") {
            // RFC 3986 §3.2.2 — IP-literal = "[" IPv6address "]"
            i = 1
            while i < n, bytes[i] != UInt8(ascii: "]") {
                let b = bytes[i]
                guard HTTPByteClass.hexValue(b) != nil || b == HTTPByteClass.colon || b == UInt8(ascii: ".") else {
                    return false
                }
                i += 1
            }
            guard i < n, i > 1 else { return false }
            i += 1
        } else {
            // RFC 3986 §3.2.2 — reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4 is a subset.
            while i < n, HTTPByteClass.isRegName(bytes[i]) { i += 1 }
            guard i > 0 else { return false }
        }
        if i == n { return true }
        // RFC 3986 §3.2.3 — port = *DIGIT
        guard bytes[i] == HTTPByteClass.colon, n - i - 1 <= 5 else { return false }
        i += 1
        while i < n {
            guard HTTPByteClass.isDigit(bytes[i]) else { return false }
            i += 1
        }
        return true
    }
}
