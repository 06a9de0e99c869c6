internal import COpenSSL

/// HKDF with SHA-256 (RFC 5869) through libcrypto's `EVP_KDF` "HKDF".
public enum HKDF {
    /// Extract-then-expand: `length` bytes of output keying material.
    ///
    /// An empty `salt` means HashLen zero bytes (RFC 5869 §2.2).
    public static func deriveKey(inputKey: [UInt8], salt: [UInt8] = [], info: [UInt8], length: Int) throws -> [UInt8] {
        // RFC 5869 §2.3: L <= 255 * HashLen.
        guard length > 0, length <= 255 * 32 else {
            throw CryptoError.invalidLength(what: "HKDF output", expected: 255 * 32)
        }
        var output = [UInt8](repeating: 0, count: length)
        let result = inputKey.withUnsafeBufferPointer { key in
            salt.withUnsafeBufferPointer { saltBuffer in
                info.withUnsafeBufferPointer { infoBuffer in
                    output.withUnsafeMutableBufferPointer { out in
                        wg_hkdf_sha256(
                            key.baseAddress, key.count,
                            saltBuffer.baseAddress, saltBuffer.count,
                            infoBuffer.baseAddress, infoBuffer.count,
                            out.baseAddress, out.count
                        )
                    }
                }
            }
        }
        guard result == 1 else { throw CryptoError.operationFailed("EVP_KDF_derive(HKDF)") }
        return output
    }
}
