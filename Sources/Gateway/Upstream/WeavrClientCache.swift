import Auth
import NIOFreeHTTP
import Synchronization
import Upstream

/// One `WeavrClient` per tenant, rebuilt when the tenant's base URL or api-key changes; circuit breakers
/// are shared per base URL.
final class WeavrClientCache: Sendable {
    private struct Entry {
        var baseURL: String
        var updatedAt: Int64
        var client: WeavrClient
    }

    private let http: HTTPClient
    private let configuration: WeavrClient.Configuration
    /// The circuit breakers, one per base URL (readiness and metrics read their states).
    let breakers: CircuitBreakerRegistry
    private let entries = Mutex<[String: Entry]>([:])

    init(http: HTTPClient, configuration: WeavrClient.Configuration, breakers: CircuitBreakerRegistry = CircuitBreakerRegistry()) {
        self.http = http
        self.configuration = configuration
        self.breakers = breakers
    }

    func cached(_ tenant: Tenant) -> WeavrClient? {
        entries.withLock { entries in
            guard let entry = entries[tenant.id], entry.baseURL == tenant.weavrBaseURL, entry.updatedAt == tenant.updatedAt else { return nil }
            return entry.client
        }
    }

    func client(for tenant: Tenant, apiKey: String) -> WeavrClient {
        let client = WeavrClient(
            baseURL: tenant.weavrBaseURL, apiKey: apiKey, http: http, configuration: configuration,
            circuitBreaker: breakers.breaker(for: tenant.weavrBaseURL)
        )
        entries.withLock { $0[tenant.id] = Entry(baseURL: tenant.weavrBaseURL, updatedAt: tenant.updatedAt, client: client) }
        return client
    }
}
