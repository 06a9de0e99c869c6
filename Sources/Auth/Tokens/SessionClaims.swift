/// What a session token says: `{sid, tid, sub, aud, iat, exp}`, times in seconds since
/// the Unix epoch (RFC 7519 §2 NumericDate). There is no algorithm field: the algorithm is
/// fixed by the `gw1` prefix.
public struct SessionClaims: Sendable, Hashable {
    /// Session id: 32 lower-case hex characters (128 bits).
    public var sid: String
    /// Tenant id (slug).
    public var tid: String
    /// Subject: the Weavr user id.
    public var sub: String
    /// Audience, e.g. `cookie` or `bearer`.
    public var aud: String
    /// Issued at; also "not before".
    public var iat: Int64
    /// Expires at.
    public var exp: Int64

    /// Creates claims.
    public init(sid: String, tid: String, sub: String, aud: String, iat: Int64, exp: Int64) {
        self.sid = sid
        self.tid = tid
        self.sub = sub
        self.aud = aud
        self.iat = iat
        self.exp = exp
    }
}
