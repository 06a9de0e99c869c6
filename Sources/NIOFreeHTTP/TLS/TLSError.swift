import COpenSSL

/// A TLS failure, described with OpenSSL's error-queue strings.
///
/// The message holds only OpenSSL's `lib::reason` codes and our own context; it never
/// includes error-queue data strings, so no key or certificate bytes can leak into it.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// Human-readable reason, safe to log.
    public var message: String

    /// Wraps `message`.
    public init(message: String) {
        self.message = message
    }

    public var description: String { "TLSError: \(message)" }

    /// `context` followed by every entry of this thread's OpenSSL error queue, which is drained.
    static func fromErrorQueue(_ context: String) -> TLSError {
        TLSError(message: Self.drainErrorQueue(prefix: context))
    }

    /// Drains the thread's error queue into one line. `ERR_error_string_n` formats only
    /// the packed code (`error:<code>:<lib>::<reason>`), not the attached data.
    static func drainErrorQueue(prefix: String) -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        if parts.isEmpty { return prefix }
        return prefix + ": " + parts.joined(separator: "; ")
    }
}
