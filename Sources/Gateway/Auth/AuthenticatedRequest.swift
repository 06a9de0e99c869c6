import Auth
import Upstream

/// A request whose session checked out: the tenant, the live session, and what is needed to call Weavr
/// on the user's behalf. The Weavr token never leaves the server.
struct AuthenticatedRequest: Sendable {
    var tenant: Tenant
    var session: Session
    var weavr: WeavrClient
    /// The user's Weavr token (decrypted for this request only).
    var weavrToken: String
    /// True when the session token came from the `__Host-gw_session` cookie.
    var viaCookie: Bool
}
