/// A libcrypto failure. Never carries key, plaintext or ciphertext bytes.
public enum CryptoError: Error, Sendable, Hashable {
    /// `RAND_bytes` could not produce output (the CSPRNG is not seeded).
    case randomUnavailable
    /// A key, nonce or tag had the wrong length; names which and the expected byte count.
    case invalidLength(what: String, expected: Int)
    /// AES-GCM tag verification failed: the record was tampered with, or the key or AAD is wrong.
    case authenticationFailed
    /// Another libcrypto call failed; names the call.
    case operationFailed(String)
}
