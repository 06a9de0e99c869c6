import Auth
import GatewayCore
import Synchronization
import Upstream

/// What it takes to call Weavr for a tenant and a session: the tenant's `WeavrClient` (built once per base
/// URL and api-key; the key decrypted on first use) and the session's Weavr token (decrypted and kept for
/// 60 s — the session row is still read on every request, so revocation is immediate; only the second read
/// and the AES-GCM open are saved).
final class WeavrAccess: Sendable {
    private let tenants: any TenantStore
    private let sessions: any SessionStore
    private let clients: WeavrClientCache
    private let clock: any WallClock
    private let tokens = Mutex<[String: (token: String, expires: Int64)]>([:])

    init(tenants: any TenantStore, sessions: any SessionStore, clients: WeavrClientCache, clock: any WallClock) {
        self.tenants = tenants
        self.sessions = sessions
        self.clients = clients
        self.clock = clock
    }

    /// The circuit breakers, one per base URL (readiness and metrics read their states).
    var breakers: CircuitBreakerRegistry { clients.breakers }

    /// The Weavr client of `tenant`.
    func client(for tenant: Tenant) async throws(Problem) -> WeavrClient {
        if let client = clients.cached(tenant) { return client }
        let apiKey: String?
        do {
            apiKey = try await tenants.weavrAPIKey(for: tenant.id)
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        guard let apiKey else { throw Problem(.unauthenticated) }
        return clients.client(for: tenant, apiKey: apiKey)
    }

    /// The Weavr token of a live session (cached briefly).
    func token(for session: Session) async throws -> String? {
        let now = clock.now
        if let entry = tokens.withLock({ $0[session.sid] }), entry.expires > now { return entry.token }
        guard let token = try await sessions.weavrToken(sid: session.sid, tenantID: session.tenantID) else { return nil }
        tokens.withLock { cache in
            if cache.count > 50_000 { cache = cache.filter { $0.value.expires > now } }
            cache[session.sid] = (token, now + 60_000)
        }
        return token
    }

    /// Forgets a session's cached Weavr token (logout, revocation, a new token after step-up).
    func forgetToken(sid: String) {
        _ = tokens.withLock { $0.removeValue(forKey: sid) }
    }
}
