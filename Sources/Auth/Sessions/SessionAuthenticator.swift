public import GatewayCore

/// Token + session row: the check every authenticated request makes.
///
/// Verifies the token (shape, kid, HMAC, time, audience), then requires the token's tenant
/// to be the request's tenant and its session row to be live and for the same user, so
/// revocation takes effect at once. Every refusal is `SessionTokenError.invalid`; storage
/// failures propagate (they are 503s, not 401s).
public struct SessionAuthenticator: Sendable {
    private let keyRing: KeyRing
    private let sessions: any SessionStore
    private let clock: any WallClock
    /// A session used more recently than this (ms) is not written again; its idle expiry
    /// then lags by at most this much, which only ends sessions earlier. Default 10 s.
    public let touchInterval: Int64

    /// Creates the authenticator.
    public init(keyRing: KeyRing, sessions: any SessionStore, clock: any WallClock = SystemWallClock(), touchInterval: Int64 = 10_000) {
        self.keyRing = keyRing
        self.sessions = sessions
        self.clock = clock
        self.touchInterval = max(0, touchInterval)
    }

    /// A token for `session`, for `audience`, expiring with the session's absolute expiry.
    public func issueToken(for session: Session, audience: String) throws(SessionTokenError) -> String {
        let claims = SessionClaims(
            sid: session.sid, tid: session.tenantID, sub: session.userID, aud: audience,
            iat: clock.now / 1000, exp: (session.absoluteExpiresAt + 999) / 1000
        )
        return try SessionToken.issue(claims, keyRing: keyRing)
    }

    /// The live session `token` stands for, after recording its use.
    public func authenticate(
        token: String,
        audience: String,
        tenantID: String,
        onRejection: ((SessionTokenRejection) -> Void)? = nil
    ) async throws -> Session {
        let claims = try SessionToken.verify(token, audience: audience, now: clock.now, keyRing: keyRing, onRejection: onRejection)
        return try await authenticate(claims: claims, tenantID: tenantID, onRejection: onRejection)
    }

    /// The claims of a token verified by `SessionToken.verify` (so the HMAC is checked once per request):
    /// the live session they stand for, after recording its use.
    public func authenticate(
        claims: SessionClaims,
        tenantID: String,
        onRejection: ((SessionTokenRejection) -> Void)? = nil
    ) async throws -> Session {
        // A token of tenant A is never accepted on tenant B's requests.
        guard claims.tid == tenantID else {
            onRejection?(.wrongTenant)
            throw SessionTokenError.invalid
        }
        guard var session = try await sessions.get(sid: claims.sid, tenantID: tenantID), session.userID == claims.sub else {
            onRejection?(.sessionNotLive)
            throw SessionTokenError.invalid
        }
        if clock.now - session.lastSeenAt >= touchInterval {
            guard let touched = try await sessions.touch(sid: claims.sid, tenantID: tenantID) else {
                onRejection?(.sessionNotLive)
                throw SessionTokenError.invalid
            }
            session = touched
        }
        return session
    }
}
