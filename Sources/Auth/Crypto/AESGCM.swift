internal import COpenSSL

/// AES-256-GCM (NIST SP 800-38D) from libcrypto (`EVP_aes_256_gcm`).
public enum AESGCM {
    /// Key length: 32 bytes (AES-256).
    public static let keyLength = 32
    /// Nonce length: 12 bytes, the length SP 800-38D §8.2 recommends.
    public static let nonceLength = 12
    /// Tag length: the full 16 bytes (SP 800-38D §5.2.1.2; no truncation).
    public static let tagLength = 16

    /// Encrypts `plaintext` and authenticates it together with `aad`.
    ///
    /// `nonce` defaults to 12 fresh random bytes. A nonce must never repeat under one key
    /// (SP 800-38D §8); pass one only for test vectors.
    public static func seal(
        plaintext: [UInt8],
        key: SecretBytes,
        nonce: [UInt8]? = nil,
        aad: [UInt8] = []
    ) throws -> SealedBox {
        guard key.count == keyLength else { throw CryptoError.invalidLength(what: "AES-256 key", expected: keyLength) }
        let nonce = try nonce ?? SecureRandom.bytes(nonceLength)
        guard nonce.count == nonceLength else { throw CryptoError.invalidLength(what: "GCM nonce", expected: nonceLength) }
        let context = try CipherContext()
        try context.check(EVP_EncryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, nil, nil), "EVP_EncryptInit_ex")
        try context.check(
            EVP_CIPHER_CTX_ctrl(context.pointer, wg_EVP_CTRL_GCM_SET_IVLEN, Int32(nonceLength), nil),
            "EVP_CTRL_GCM_SET_IVLEN"
        )
        try key.withUnsafeBytes { keyBuffer in
            try nonce.withUnsafeBufferPointer { nonceBuffer in
                try context.check(
                    EVP_EncryptInit_ex(
                        context.pointer, nil, nil,
                        keyBuffer.bindMemory(to: UInt8.self).baseAddress, nonceBuffer.baseAddress
                    ),
                    "EVP_EncryptInit_ex(key)"
                )
            }
        }
        try context.update(aad: aad, encrypting: true)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var written: Int32 = 0
        if !plaintext.isEmpty {
            try plaintext.withUnsafeBufferPointer { input in
                try ciphertext.withUnsafeMutableBufferPointer { output in
                    try context.check(
                        EVP_EncryptUpdate(context.pointer, output.baseAddress, &written, input.baseAddress, Int32(input.count)),
                        "EVP_EncryptUpdate"
                    )
                }
            }
        }
        var finalLength: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        try context.check(EVP_EncryptFinal_ex(context.pointer, &scratch, &finalLength), "EVP_EncryptFinal_ex")
        precondition(Int(written + finalLength) == plaintext.count, "GCM is a stream mode")
        var tag = [UInt8](repeating: 0, count: tagLength)
        try context.check(
            EVP_CIPHER_CTX_ctrl(context.pointer, wg_EVP_CTRL_GCM_GET_TAG, Int32(tagLength), &tag),
            "EVP_CTRL_GCM_GET_TAG"
        )
        return SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Decrypts `box` after checking its tag over the ciphertext and `aad`.
    ///
    /// Throws `CryptoError.authenticationFailed` on any change to nonce, ciphertext, tag or
    /// AAD, or a wrong key; no plaintext is returned in that case.
    public static func open(_ box: SealedBox, key: SecretBytes, aad: [UInt8] = []) throws -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.invalidLength(what: "AES-256 key", expected: keyLength) }
        guard box.nonce.count == nonceLength else { throw CryptoError.authenticationFailed }
        // SP 800-38D §5.2.1.2: only full-length tags are accepted (no truncated-tag forgeries).
        guard box.tag.count == tagLength else { throw CryptoError.authenticationFailed }
        let context = try CipherContext()
        try context.check(EVP_DecryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, nil, nil), "EVP_DecryptInit_ex")
        try context.check(
            EVP_CIPHER_CTX_ctrl(context.pointer, wg_EVP_CTRL_GCM_SET_IVLEN, Int32(nonceLength), nil),
            "EVP_CTRL_GCM_SET_IVLEN"
        )
        try key.withUnsafeBytes { keyBuffer in
            try box.nonce.withUnsafeBufferPointer { nonceBuffer in
                try context.check(
                    EVP_DecryptInit_ex(
                        context.pointer, nil, nil,
                        keyBuffer.bindMemory(to: UInt8.self).baseAddress, nonceBuffer.baseAddress
                    ),
                    "EVP_DecryptInit_ex(key)"
                )
            }
        }
        try context.update(aad: aad, encrypting: false)
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        var written: Int32 = 0
        if !box.ciphertext.isEmpty {
            try box.ciphertext.withUnsafeBufferPointer { input in
                try plaintext.withUnsafeMutableBufferPointer { output in
                    try context.check(
                        EVP_DecryptUpdate(context.pointer, output.baseAddress, &written, input.baseAddress, Int32(input.count)),
                        "EVP_DecryptUpdate"
                    )
                }
            }
        }
        var tag = box.tag
        try context.check(
            EVP_CIPHER_CTX_ctrl(context.pointer, wg_EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag),
            "EVP_CTRL_GCM_SET_TAG"
        )
        var finalLength: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        // EVP_DecryptFinal_ex returns <= 0 when the tag does not verify.
        guard EVP_DecryptFinal_ex(context.pointer, &scratch, &finalLength) == 1 else {
            plaintext.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            throw CryptoError.authenticationFailed
        }
        return plaintext
    }
}
