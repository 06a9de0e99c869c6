import Auth
import Upstream

/// A request whose session checked out: the tenant, the live session, and what is needed to call Weavr
/// on the user's behalf. The Weavr token never leaves the server.
///
/// A class: it is built once per request and handed through the pipeline, the `V1Call` and the handler's
/// closures; sharing it costs one retain where copying the struct copied every field.
final class AuthenticatedRequest: Sendable {
    let tenant: Tenant
    let session: Session
    let weavr: WeavrClient
    /// The user's Weavr token (decrypted for this request only).
    let weavrToken: String
    /// True when the session token came from the `__Host-gw_session` cookie.
    let viaCookie: Bool

    init(tenant: Tenant, session: Session, weavr: WeavrClient, weavrToken: String, viaCookie: Bool) {
        self.tenant = tenant
        self.session = session
        self.weavr = weavr
        self.weavrToken = weavrToken
        self.viaCookie = viaCookie
    }
}
