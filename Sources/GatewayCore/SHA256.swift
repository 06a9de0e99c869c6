internal import COpenSSL

/// SHA-256 (FIPS 180-4) from libcrypto.
public enum SHA256 {
    /// The digest length in bytes.
    public static let digestLength = 32

    /// The 32-byte SHA-256 digest of `message`.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        let result = message.withUnsafeBytes { messageBuffer in
            digest.withUnsafeMutableBufferPointer { digestBuffer in
                // EVP_Digest(3) one-shot; an empty message is passed as a valid non-NULL pointer.
                EVP_Digest(
                    messageBuffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                    messageBuffer.count,
                    digestBuffer.baseAddress,
                    &length,
                    EVP_sha256(),
                    nil
                )
            }
        }
        // A fixed digest over an in-memory buffer cannot fail short of memory exhaustion.
        precondition(result == 1 && length == 32, "SHA-256 failed")
        return digest
    }

    /// The SHA-256 digest of the UTF-8 bytes of `string`, as 64 lower-case hex digits.
    public static func hexHash(_ string: String) -> String {
        Hex.encode(hash(Array(string.utf8)))
    }

    /// The SHA-256 digest of `message`, as 64 lower-case hex digits.
    public static func hexHash(_ message: [UInt8]) -> String {
        Hex.encode(hash(message))
    }
}
