/// Session tokens: `gw1.<kid>.<b64url(payload)>.<b64url(tag)>` where payload is the JSON
/// claims and `tag = HMAC-SHA256(key[kid], "gw1." + kid + "." + b64url(payload))`.
///
/// The token only proves the gateway issued it; callers must still load the session row
/// (revocation takes effect at once), e.g. through `SessionAuthenticator`.
public enum SessionToken {
    /// The version prefix; it fixes the algorithm (no `alg` header to negotiate,
    /// RFC 8725 §3.1).
    public static let prefix = "gw1"
    /// Clock skew allowed on `iat` and `exp`, in seconds (RFC 7519 §4.1.4: "some small leeway").
    public static let leewaySeconds: Int64 = 30
    /// Longer tokens are refused before any parsing.
    public static let maxLength = 1024
    static let maxKeyIDLength = 16
    /// 32 tag bytes as unpadded base64url.
    static let tagCharacters = 43

    /// Signs `claims` with the ring's active key.
    public static func issue(_ claims: SessionClaims, keyRing: KeyRing) throws(SessionTokenError) -> String {
        guard claims.isWellFormed, let (kid, key) = keyRing.signingKey() else { throw .cannotIssue }
        let signingInput = prefix + "." + kid + "." + Base64.urlEncode(claims.canonicalJSON)
        let tag = HMACSHA256.authenticate(key: key, message: Array(signingInput.utf8))
        return signingInput + "." + Base64.urlEncode(tag)
    }

    /// The claims of `token` when it is well formed, signed by an active or verifying key,
    /// current at `now` (ms since the Unix epoch) within the leeway, and for `audience`.
    /// Every failure throws `.invalid`; `onRejection` receives the reason (for metrics).
    public static func verify(
        _ token: String,
        audience: String,
        now: Int64,
        keyRing: KeyRing,
        onRejection: ((SessionTokenRejection) -> Void)? = nil
    ) throws(SessionTokenError) -> SessionClaims {
        switch check(token, audience: audience, now: now, keyRing: keyRing) {
        case .success(let claims):
            return claims
        case .failure(let rejection):
            onRejection?(rejection)
            throw .invalid
        }
    }

    static func check(_ token: String, audience: String, now: Int64, keyRing: KeyRing) -> Result<SessionClaims, SessionTokenRejection> {
        // Checked in place over the header value's UTF-8: no copy of the token, the tag and the payload
        // decoded into stack memory.
        var token = token
        return token.withUTF8 { check(bytes: $0, audience: audience, now: now, keyRing: keyRing) }
    }

    private static func check(
        bytes: UnsafeBufferPointer<UInt8>, audience: String, now: Int64, keyRing: KeyRing
    ) -> Result<SessionClaims, SessionTokenRejection> {
        // 1. Shape, before any crypto: bounded length, charset, exactly four parts.
        guard bytes.count <= maxLength else { return .failure(.malformed) }
        var dots: (Int, Int, Int) = (-1, -1, -1)
        var dotCount = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: ".") else {
                guard isBase64URLByte(byte) else { return .failure(.malformed) }
                continue
            }
            switch dotCount {
            case 0: dots.0 = index
            case 1: dots.1 = index
            case 2: dots.2 = index
            default: return .failure(.malformed)
            }
            dotCount += 1
        }
        guard dotCount == 3 else { return .failure(.malformed) }
        let version = UnsafeBufferPointer(rebasing: bytes[..<dots.0])
        let keyID = UnsafeBufferPointer(rebasing: bytes[(dots.0 + 1)..<dots.1])
        let payload = UnsafeBufferPointer(rebasing: bytes[(dots.1 + 1)..<dots.2])
        let tagText = UnsafeBufferPointer(rebasing: bytes[(dots.2 + 1)...])
        guard version.elementsEqual(prefix.utf8),
              (1...maxKeyIDLength).contains(keyID.count),
              !payload.isEmpty,
              tagText.count == tagCharacters
        else { return .failure(.malformed) }

        // 2. The kid must be active or verifying (retired and unknown kids never reach HMAC).
        guard let key = keyRing.preparedVerificationKey(for: String(decoding: keyID, as: UTF8.self)) else {
            return .failure(.unknownKey)
        }

        // 3. Tag: canonical base64url (RFC 4648 §3.5), then constant-time compare (CRYPTO_memcmp).
        let tagLength = HMACSHA256.tagLength
        let tagMatches = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * tagLength) { buffer -> Bool? in
            let (tag, expected) = (buffer.baseAddress!, buffer.baseAddress! + tagLength)
            guard Base64.urlDecode(tagText, into: UnsafeMutableBufferPointer(start: tag, count: tagLength)) == tagLength else {
                return nil
            }
            key.authenticate(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[..<(bytes.count - tagCharacters - 1)]), into: expected)
            return HMACSHA256.constantTimeEquals(expected, tag, count: tagLength)
        }
        guard let tagMatches else { return .failure(.malformed) }
        guard tagMatches else { return .failure(.badSignature) }

        // 4. Payload: only the canonical claims encoding is accepted.
        let decoded = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: payload.count * 3 / 4 + 1) { buffer -> SessionClaims? in
            guard let count = Base64.urlDecode(payload, into: buffer) else { return nil }
            return SessionClaims(canonicalJSON: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
        guard let claims = decoded else { return .failure(.badPayload) }

        // 5. Time, with a small fixed leeway (RFC 7519 §4.1.4 exp, §4.1.5 nbf = iat here).
        let nowSeconds = now / 1000
        guard nowSeconds < claims.exp + leewaySeconds else { return .failure(.expired) }
        guard claims.iat <= nowSeconds + leewaySeconds else { return .failure(.notYetValid) }

        // 6. Audience (RFC 7519 §4.1.3: reject when not the intended recipient).
        guard claims.aud == audience else { return .failure(.wrongAudience) }
        return .success(claims)
    }

    /// The base64url alphabet (a token's bytes, besides its three dots).
    @inline(__always) private static func isBase64URLByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
