/// Why `SessionToken.verify` refused a token — for tests and metrics labels only; never
/// put it in a response or an error message.
public enum SessionTokenRejection: String, Error, Sendable, Hashable, CaseIterable {
    /// Too long, wrong characters, wrong number of parts, wrong prefix or part lengths.
    case malformed
    /// The kid is not active or verifying in the ring (unknown or retired).
    case unknownKey
    /// The tag does not match.
    case badSignature
    /// The signed payload is not the canonical claims encoding.
    case badPayload
    /// `exp` is past (beyond the leeway).
    case expired
    /// `iat` is in the future (beyond the leeway).
    case notYetValid
    /// `aud` is not the expected audience.
    case wrongAudience
    /// (`SessionAuthenticator`) The token's tenant is not the request's tenant.
    case wrongTenant
    /// (`SessionAuthenticator`) The session is unknown, revoked, expired or for another user.
    case sessionNotLive
}
