/// A logged-in user's server-side session. Holds no secret: the Weavr token is stored
/// encrypted and read only with `SessionStore.weavrToken(sid:tenantID:)`.
public struct Session: Sendable, Hashable, Codable {
    /// 128-bit random id, 32 lower-case hex characters.
    public var sid: String
    /// The tenant the session belongs to; it is never served to another tenant.
    public var tenantID: String
    /// The Weavr user id (login credentials id).
    public var userID: String
    /// The Weavr identity (corporate or consumer) the user acts for.
    public var identity: WeavrIdentity
    /// When step-up (SCA) last succeeded, if it did (ms since the Unix epoch).
    public var steppedUpAt: Int64?
    /// Created (ms).
    public var createdAt: Int64
    /// Last request (ms).
    public var lastSeenAt: Int64
    /// Ends unless used before this (ms); slides on use, never past `absoluteExpiresAt`.
    public var idleExpiresAt: Int64
    /// Ends at this time whatever happens (ms).
    public var absoluteExpiresAt: Int64
    /// When it was revoked (logout, admin, Weavr 401), if it was.
    public var revokedAt: Int64?

    /// `true` once step-up has succeeded in this session.
    public var isSteppedUp: Bool { steppedUpAt != nil }

    /// `true` when not revoked and neither expiry has passed at `now` (ms).
    public func isLive(at now: Int64) -> Bool {
        revokedAt == nil && now < idleExpiresAt && now < absoluteExpiresAt
    }

    /// Creates a session value.
    public init(
        sid: String, tenantID: String, userID: String, identity: WeavrIdentity,
        steppedUpAt: Int64? = nil, createdAt: Int64, lastSeenAt: Int64,
        idleExpiresAt: Int64, absoluteExpiresAt: Int64, revokedAt: Int64? = nil
    ) {
        self.sid = sid
        self.tenantID = tenantID
        self.userID = userID
        self.identity = identity
        self.steppedUpAt = steppedUpAt
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.idleExpiresAt = idleExpiresAt
        self.absoluteExpiresAt = absoluteExpiresAt
        self.revokedAt = revokedAt
    }
}
