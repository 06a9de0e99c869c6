/// Key material in memory. Its `description` never shows the bytes, and it is not `Codable`.
public struct SecretBytes: Sendable {
    let bytes: [UInt8]

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The number of bytes.
    public var count: Int { bytes.count }

    /// Calls `body` with the bytes; do not let them escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// Constant-time comparison (`CRYPTO_memcmp`).
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        HMACSHA256.constantTimeEquals(bytes, other.bytes)
    }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible {
    /// `SecretBytes(<n> bytes, redacted)`.
    public var description: String { "SecretBytes(\(bytes.count) bytes, redacted)" }
    /// Same as `description`.
    public var debugDescription: String { description }
}
