internal import COpenSSL
import GatewayCore

/// HMAC with SHA-256 (RFC 2104, FIPS 198-1) from libcrypto.
public enum HMACSHA256 {
    /// The tag length in bytes.
    public static let tagLength = 32

    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: tagLength)
        var tagLength: UInt32 = 0
        let result = key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                tag.withUnsafeMutableBufferPointer { tagBuffer in
                    // HMAC(3) one-shot; a zero-length key is passed as a valid non-NULL pointer.
                    HMAC(
                        EVP_sha256(),
                        keyBuffer.baseAddress ?? UnsafePointer(bitPattern: 1),
                        Int32(keyBuffer.count),
                        messageBuffer.baseAddress ?? UnsafePointer(bitPattern: 1),
                        messageBuffer.count,
                        tagBuffer.baseAddress,
                        &tagLength
                    )
                }
            }
        }
        // HMAC with a fixed digest and in-memory buffers cannot fail short of memory exhaustion.
        precondition(result != nil && tagLength == 32, "HMAC-SHA256 failed")
        return tag
    }

    /// The HMAC-SHA256 of `message` under `key`.
    public static func authenticate(key: SecretBytes, message: [UInt8]) -> [UInt8] {
        authenticate(key: key.bytes, message: message)
    }

    /// A key with its HMAC inner and outer hash states computed once (RFC 2104 §4), for a key that
    /// authenticates many messages (the session-token keys: one verification per request). Gives the same
    /// tags as `authenticate(key:message:)`; the states are wiped when the key is released.
    public final class PreparedKey: @unchecked Sendable {  // the state is written once, in init; then only read (copied)
        private let state: UnsafeMutablePointer<wg_hmac_sha256_key>

        public init(_ key: [UInt8]) {
            state = .allocate(capacity: 1)
            key.withUnsafeBufferPointer { buffer in
                wg_hmac_sha256_key_init(state, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count)
            }
        }

        deinit {
            OPENSSL_cleanse(state, MemoryLayout<wg_hmac_sha256_key>.size)
            state.deallocate()
        }

        /// The tag of `message` into `tag` (32 bytes), for a caller that keeps it on the stack.
        public func authenticate(_ message: UnsafeRawBufferPointer, into tag: UnsafeMutablePointer<UInt8>) {
            wg_hmac_sha256(state, message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1), message.count, tag)
        }

        /// The 32-byte HMAC-SHA256 of `message`.
        public func authenticate(_ message: UnsafeRawBufferPointer) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: HMACSHA256.tagLength) { tag, count in
                wg_hmac_sha256(
                    state, message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1),
                    message.count, tag.baseAddress
                )
                count = HMACSHA256.tagLength
            }
        }
    }

    /// `constantTimeEquals` over two buffers of `count` bytes.
    public static func constantTimeEquals(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        count == 0 || CRYPTO_memcmp(a, b, count) == 0
    }

    /// `true` when `a` and `b` are equal, in time independent of where they differ
    /// (`CRYPTO_memcmp`). Different lengths compare unequal (lengths are not secret here).
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { aBuffer in
            b.withUnsafeBytes { bBuffer in
                CRYPTO_memcmp(aBuffer.baseAddress, bBuffer.baseAddress, aBuffer.count) == 0
            }
        }
    }
}
