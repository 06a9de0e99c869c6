public import Auth
public import Upstream

/// A request whose session checked out: the tenant, the live session, and what is needed to call Weavr
/// on the user's behalf. The Weavr token never leaves the server.
public struct AuthenticatedRequest: Sendable {
    public var tenant: Tenant
    public var session: Session
    public var weavr: WeavrClient
    /// The user's Weavr token (decrypted for this request only).
    var weavrToken: String
    /// True when the session token came from the `__Host-gw_session` cookie.
    public var viaCookie: Bool
}
