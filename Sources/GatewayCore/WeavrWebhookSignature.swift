internal import COpenSSL

/// Weavr's webhook signature `signature-v2`: base64(HMAC-SHA256(key = the programme's api-key, message =
/// `call-ref` header + raw body bytes + `published-timestamp` header)), as Weavr documents it for every webhook
/// ("This is the base64 hash (HmacSHA256) of the call-ref + payload + published-timestamp using your API key").
/// One implementation for the gateway (verifying) and the simulator (signing).
public enum WeavrWebhookSignature {
    /// The message that is signed: the three parts' bytes, concatenated without separators.
    public static func message(callRef: String, body: [UInt8], publishedTimestamp: String) -> [UInt8] {
        var message = Array(callRef.utf8)
        message.reserveCapacity(message.count + body.count + publishedTimestamp.utf8.count)
        message.append(contentsOf: body)
        message.append(contentsOf: publishedTimestamp.utf8)
        return message
    }

    /// The `signature-v2` value (standard base64 with padding).
    public static func sign(apiKey: String, callRef: String, body: [UInt8], publishedTimestamp: String) -> String {
        base64(hmac(key: Array(apiKey.utf8), message: message(callRef: callRef, body: body, publishedTimestamp: publishedTimestamp)))
    }

    /// `true` when `signature` is the `signature-v2` of the parts under `apiKey`, compared in constant time
    /// (`CRYPTO_memcmp` over the expected base64 text; only the length is compared first, and it is public).
    public static func verify(
        signature: String, apiKey: String, callRef: String, body: [UInt8], publishedTimestamp: String
    ) -> Bool {
        let expected = Array(sign(apiKey: apiKey, callRef: callRef, body: body, publishedTimestamp: publishedTimestamp).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return expected.withUnsafeBytes { a in
            given.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }

    /// HMAC-SHA256 (RFC 2104) from libcrypto.
    static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBytes { keyBuffer in
            message.withUnsafeBytes { messageBuffer in
                tag.withUnsafeMutableBufferPointer { tagBuffer in
                    _ = HMAC(
                        EVP_sha256(), keyBuffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(keyBuffer.count),
                        messageBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1),
                        messageBuffer.count, tagBuffer.baseAddress, &length
                    )
                }
            }
        }
        precondition(length == 32, "HMAC-SHA256 failed")
        return tag
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 (RFC 4648 §4) with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
