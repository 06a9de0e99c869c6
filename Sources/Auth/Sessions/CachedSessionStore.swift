public import GatewayCore
import Synchronization

/// A `SessionStore` that keeps live sessions in memory, for a database only this process writes sessions to
/// (SQLite: `ServeLock` makes the serving process the only one; the maintenance commands never write a
/// session). Every authenticated request reads its session; on SQLite that read was a hop to a reader
/// thread and back, the largest cost of a card read after the Weavr call itself.
///
/// Exact, not "fresh within a TTL": every change goes through this store, and a change removes the
/// session's entry after the store committed it and before the change returns, so the request after a
/// logout or revocation reads the store and is refused. A read that raced with a change (it began before
/// the change was committed) does not fill the cache: each change bumps `epoch`, and a read fills only if
/// the epoch it saw before reading is still current. Expiry is checked on every hit with the clock; an
/// entry's idle expiry is never later than the row's (touches only move it forward, and a touch removes the
/// entry). Bounded by `capacity` entries. Calls that neither read nor change a session's row go to the store
/// unchanged (`ForwardingSessionStore`).
public final class CachedSessionStore: ForwardingSessionStore {
    private let store: any SessionStore
    public var base: any SessionStore { store }
    private let clock: any WallClock
    private let capacity: Int

    private struct State {
        var entries: [String: Session] = [:]
        var epoch: UInt64 = 0
    }
    private let state = Mutex(State())

    /// A cache over `store`, which must be the only writer of sessions to its database.
    public init(_ store: any SessionStore, clock: any WallClock = SystemWallClock(), capacity: Int = 100_000) {
        self.store = store
        self.clock = clock
        self.capacity = max(1, capacity)
    }

    /// Sessions held in memory (for tests and metrics).
    public var cachedCount: Int { state.withLock { $0.entries.count } }

    public func get(sid: String, tenantID: String) async throws -> Session? {
        let now = clock.now
        let (hit, epoch): (Session??, UInt64) = state.withLock { state in
            guard let session = state.entries[sid] else { return (nil, state.epoch) }
            // A sid of another tenant: the store scopes by tenant, so this is "no such session".
            guard session.tenantID == tenantID else { return (.some(nil), state.epoch) }
            guard session.isLive(at: now) else {
                state.entries[sid] = nil
                return (nil, state.epoch)
            }
            return (.some(session), state.epoch)
        }
        if let hit { return hit }
        let session = try await store.get(sid: sid, tenantID: tenantID)
        if let session {
            state.withLock { state in
                guard state.epoch == epoch else { return }
                if state.entries.count >= capacity {
                    state.entries = state.entries.filter { $0.value.isLive(at: now) }
                    if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
                }
                state.entries[sid] = session
            }
        }
        return session
    }

    public func touch(sid: String, tenantID: String) async throws -> Session? {
        defer { forget(sid: sid) }
        return try await store.touch(sid: sid, tenantID: tenantID)
    }

    public func markSteppedUp(sid: String, tenantID: String, weavrToken: String?) async throws -> Session? {
        defer { forget(sid: sid) }
        return try await store.markSteppedUp(sid: sid, tenantID: tenantID, weavrToken: weavrToken)
    }

    public func revoke(sid: String, tenantID: String) async throws -> Bool {
        defer { forget(sid: sid) }
        return try await store.revoke(sid: sid, tenantID: tenantID)
    }

    public func revokeAll(tenantID: String) async throws -> Int {
        defer { forget(tenant: tenantID) }
        return try await store.revokeAll(tenantID: tenantID)
    }

    /// Forgets every session of `tenant` (after `revokeAll`).
    private func forget(tenant: String) {
        state.withLock { state in
            state.epoch &+= 1
            state.entries = state.entries.filter { $0.value.tenantID != tenant }
        }
    }

    /// Forgets every session (a reload, or a change made by another process).
    public func forgetAll() {
        state.withLock { state in
            state.epoch &+= 1
            state.entries.removeAll()
        }
    }

    /// Runs after a change committed (or failed: forgetting is always safe), before it returns.
    private func forget(sid: String) {
        state.withLock { state in
            state.epoch &+= 1
            state.entries[sid] = nil
        }
    }
}
