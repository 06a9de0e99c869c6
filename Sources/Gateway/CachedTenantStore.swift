public import Auth
public import GatewayCore
import Synchronization

/// A `TenantStore` that keeps tenants in memory for a short time: every authenticated request needs its
/// tenant, and decoding the row was a quarter of a `/v1/me`. Changes made through this store take effect
/// at once; changes made by another process (the `tenant` command) within `ttl` (default 2 s).
public final class CachedTenantStore: TenantStore {
    private let store: any TenantStore
    private let ttl: Int64
    private let clock: any WallClock
    private let cache = Mutex<[String: (tenant: Tenant?, expires: Int64)]>([:])

    public init(_ store: any TenantStore, ttlMilliseconds: Int64 = 2_000, clock: any WallClock = SystemWallClock()) {
        self.store = store
        ttl = ttlMilliseconds
        self.clock = clock
    }

    public func get(_ id: String) async throws -> Tenant? {
        let now = clock.now
        if let entry = cache.withLock({ $0[id] }), entry.expires > now { return entry.tenant }
        let tenant = try await store.get(id)
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[id] = (tenant, now + ttl)
        }
        return tenant
    }

    public func create(_ tenant: Tenant, weavrAPIKey: String) async throws -> Tenant {
        defer { invalidate(tenant.id) }
        return try await store.create(tenant, weavrAPIKey: weavrAPIKey)
    }

    public func list() async throws -> [Tenant] { try await store.list() }

    public func update(_ id: String, _ update: TenantUpdate) async throws -> Tenant {
        defer { invalidate(id) }
        return try await store.update(id, update)
    }

    public func setStatus(_ id: String, _ status: Tenant.Status) async throws -> Tenant {
        defer { invalidate(id) }
        return try await store.setStatus(id, status)
    }

    public func delete(_ id: String) async throws {
        defer { invalidate(id) }
        try await store.delete(id)
    }

    public func weavrAPIKey(for id: String) async throws -> String? {
        try await store.weavrAPIKey(for: id)
    }

    /// Forgets every cached tenant (SIGHUP: the next request reads each tenant from the store).
    public func invalidateAll() {
        cache.withLock { $0.removeAll() }
    }

    /// Forgets `id` (after a change).
    public func invalidate(_ id: String) {
        _ = cache.withLock { $0.removeValue(forKey: id) }
    }
}
