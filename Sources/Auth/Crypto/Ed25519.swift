import COpenSSL

/// Ed25519 signatures (RFC 8032, "pure" Ed25519) through the system OpenSSL: `EVP_PKEY_ED25519` keys and
/// one-shot `EVP_DigestSign` / `EVP_DigestVerify` with no digest (Ed25519 hashes internally).
public enum Ed25519 {
    /// Seed (private key), public key and signature lengths (RFC 8032 §5.1.5, §5.1.6).
    public static let seedLength = 32
    public static let publicKeyLength = 32
    public static let signatureLength = 64

    /// A signing key from its 32-byte seed; the seed never leaves this value.
    public struct PrivateKey: Sendable {
        private let seed: SecretBytes
        /// The 32-byte public key (RFC 8032 §5.1.5).
        public let publicKey: [UInt8]

        /// The key whose seed is `seed` (32 bytes: an HKDF subkey or a key file's content).
        public init(seed: [UInt8]) throws(CryptoError) {
            guard seed.count == Ed25519.seedLength else { throw .invalidLength(what: "Ed25519 seed", expected: Ed25519.seedLength) }
            self.seed = SecretBytes(seed)
            let key = try Self.pkey(seed)
            defer { EVP_PKEY_free(key) }
            var publicKey = [UInt8](repeating: 0, count: Ed25519.publicKeyLength)
            var length = publicKey.count
            guard EVP_PKEY_get_raw_public_key(key, &publicKey, &length) == 1, length == Ed25519.publicKeyLength else {
                throw .operationFailed("EVP_PKEY_get_raw_public_key")
            }
            self.publicKey = publicKey
        }

        /// The 64-byte signature of `message`.
        public func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
            let key = try Self.pkey(seed.bytes)
            defer { EVP_PKEY_free(key) }
            guard let context = EVP_MD_CTX_new() else { throw .operationFailed("EVP_MD_CTX_new") }
            defer { EVP_MD_CTX_free(context) }
            guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else { throw .operationFailed("EVP_DigestSignInit") }
            var signature = [UInt8](repeating: 0, count: Ed25519.signatureLength)
            var length = signature.count
            let status = message.withUnsafeBufferPointer { buffer in
                EVP_DigestSign(context, &signature, &length, buffer.baseAddress, buffer.count)
            }
            guard status == 1, length == Ed25519.signatureLength else { throw .operationFailed("EVP_DigestSign") }
            return signature
        }

        private static func pkey(_ seed: [UInt8]) throws(CryptoError) -> OpaquePointer {
            guard let key = EVP_PKEY_new_raw_private_key(wg_EVP_PKEY_ED25519, nil, seed, seed.count) else {
                throw .operationFailed("EVP_PKEY_new_raw_private_key")
            }
            return key
        }
    }

    /// `true` when `signature` is `publicKey`'s Ed25519 signature of `message`; `false` for anything else,
    /// malformed keys and signatures included.
    public static func isValidSignature(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == signatureLength, publicKey.count == publicKeyLength,
            let key = EVP_PKEY_new_raw_public_key(wg_EVP_PKEY_ED25519, nil, publicKey, publicKey.count)
        else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        return message.withUnsafeBufferPointer { buffer in
            EVP_DigestVerify(context, signature, signature.count, buffer.baseAddress, buffer.count)
        } == 1
    }

    /// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the key's 32 bytes follow.
    static let spkiPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// `publicKey` as a PEM `PUBLIC KEY` (RFC 8410 SubjectPublicKeyInfo), what `openssl pkeyutl -pubin` reads.
    public static func pem(publicKey: [UInt8]) -> String {
        "-----BEGIN PUBLIC KEY-----\n" + Base64.encode(spkiPrefix + publicKey) + "\n-----END PUBLIC KEY-----\n"
    }

    /// The 32 key bytes of a PEM `PUBLIC KEY` holding an Ed25519 key; `nil` for anything else.
    public static func publicKey(pem: String) -> [UInt8]? {
        let lines = pem.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init).filter { !$0.isEmpty }
        guard lines.first == "-----BEGIN PUBLIC KEY-----", lines.last == "-----END PUBLIC KEY-----",
            let der = Base64.decode(lines.dropFirst().dropLast().joined()),
            der.count == spkiPrefix.count + publicKeyLength, Array(der.prefix(spkiPrefix.count)) == spkiPrefix
        else { return nil }
        return Array(der.suffix(publicKeyLength))
    }
}
