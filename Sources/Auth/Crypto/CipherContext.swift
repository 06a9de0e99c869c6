internal import COpenSSL

/// Owns one `EVP_CIPHER_CTX`; freed (and cleansed by OpenSSL) on deinit.
final class CipherContext {
    let pointer: OpaquePointer

    init() throws {
        guard let pointer = EVP_CIPHER_CTX_new() else { throw CryptoError.operationFailed("EVP_CIPHER_CTX_new") }
        self.pointer = pointer
    }

    deinit {
        EVP_CIPHER_CTX_free(pointer)
    }

    func check(_ result: Int32, _ call: String) throws {
        guard result == 1 else {
            ERR_clear_error()
            throw CryptoError.operationFailed(call)
        }
    }

    /// Feeds additional authenticated data (output buffer NULL).
    func update(aad: [UInt8], encrypting: Bool) throws {
        guard !aad.isEmpty else { return }
        var written: Int32 = 0
        try aad.withUnsafeBufferPointer { buffer in
            let result = encrypting
                ? EVP_EncryptUpdate(pointer, nil, &written, buffer.baseAddress, Int32(buffer.count))
                : EVP_DecryptUpdate(pointer, nil, &written, buffer.baseAddress, Int32(buffer.count))
            try check(result, "EVP_CipherUpdate(aad)")
        }
    }
}
