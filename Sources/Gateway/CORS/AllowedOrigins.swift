import Auth
import NIOFreeHTTP
import Synchronization

/// The union of every active tenant's `allowedOrigins`, reloaded from the tenant store when `generation`
/// moves (a tenant changed, `StoreChangeWatcher`) and at least every `ttl`. A failed reload keeps the last list.
final class AllowedOrigins: Sendable {
    private struct Snapshot {
        var origins: Set<String> = []
        var loadedAt: UInt64 = 0
        var generation: Int64 = -1
        var loaded = false
    }

    private let tenants: any TenantStore
    private let ttlNanoseconds: UInt64
    private let generation: @Sendable () -> Int64
    private let snapshot = Mutex(Snapshot())

    init(tenants: any TenantStore, ttl: Duration = .seconds(5), generation: @escaping @Sendable () -> Int64 = { 0 }) {
        self.tenants = tenants
        self.generation = generation
        ttlNanoseconds = UInt64(ttl.components.seconds) * 1_000_000_000 + UInt64(ttl.components.attoseconds / 1_000_000_000)
    }

    /// True when `origin` is exactly one of an active tenant's allowed origins.
    func contains(_ origin: String) async -> Bool {
        let now = EventLoop.monotonicNanoseconds()
        let current = generation()
        let cached = snapshot.withLock { snapshot -> Set<String>? in
            snapshot.loaded && snapshot.generation == current && now &- snapshot.loadedAt < ttlNanoseconds ? snapshot.origins : nil
        }
        if let cached { return cached.contains(origin) }
        let origins: Set<String>
        do {
            origins = Set(try await tenants.list().filter { $0.status == .active }.flatMap(\.allowedOrigins))
        } catch {
            return snapshot.withLock { $0.origins.contains(origin) }
        }
        snapshot.withLock { $0 = Snapshot(origins: origins, loadedAt: now, generation: current, loaded: true) }
        return origins.contains(origin)
    }
}
