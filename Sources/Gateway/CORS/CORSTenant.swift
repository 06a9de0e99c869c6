import Auth
import NIOFreeHTTP
import Synchronization

/// The tenant a request turned out to act for, learned deep inside it (authentication, or the `tenant` of a
/// login) and read back by `CORSMiddleware` when the response passes: a credentialed response may grant only
/// an origin of that tenant. `CORSMiddleware` puts one into the request context; whoever establishes the
/// tenant records its allowed origins here.
final class CORSTenant: Sendable {
    private let origins = Mutex<[String]?>(nil)

    /// Records the tenant the request acts for.
    func establish(_ tenant: Tenant) {
        origins.withLock { $0 = tenant.allowedOrigins }
    }

    /// The established tenant's allowed origins, or nil when no tenant was established.
    var allowedOrigins: [String]? { origins.withLock { $0 } }
}

/// The context key of the request's `CORSTenant`.
enum CORSTenantKey: ContextKey {
    typealias Value = CORSTenant
}

extension RequestContext {
    /// Tells CORS which tenant this request acts for (a no-op outside `CORSMiddleware`).
    func establishCORSTenant(_ tenant: Tenant) {
        values[CORSTenantKey.self]?.establish(tenant)
    }
}
