import GatewayCore
import Synchronization
import Testing
@testable import Auth

/// The in-memory session copy of a single-writer (SQLite) gateway: it must never answer "live" for a session
/// the store has revoked once the revocation returned, and a read racing a revocation must not fill it.
struct CachedSessionStoreTests {
    /// A store of sessions in memory that counts reads, and whose reads can be held at a gate.
    final class CountingStore: SessionStore, @unchecked Sendable {
        let clock: ManualWallClock
        private let state = Mutex<(sessions: [String: Session], reads: Int)>(([:], 0))
        private let gate = Mutex<[CheckedContinuation<Void, Never>]?>(nil)
        private let waiting = Mutex(0)

        init(clock: ManualWallClock) { self.clock = clock }

        var reads: Int { state.withLock { $0.reads } }
        var heldReads: Int { waiting.withLock { $0 } }

        func add(_ session: Session) { state.withLock { $0.sessions[session.sid] = session } }
        /// The row as stored now, without counting a read.
        func sessionNow(_ sid: String) -> Session? { state.withLock { $0.sessions[sid] } }
        func holdReads() { gate.withLock { $0 = [] } }
        func releaseReads() {
            let held = gate.withLock { held -> [CheckedContinuation<Void, Never>] in
                defer { held = nil }
                return held ?? []
            }
            for continuation in held { continuation.resume() }
        }

        func get(sid: String, tenantID: String) async throws -> Session? {
            // Reads the row first, then (when held) waits: a read that saw the row before a revocation committed.
            let now = clock.now
            let row = state.withLock { state -> Session? in
                state.reads += 1
                guard let session = state.sessions[sid], session.tenantID == tenantID, session.isLive(at: now) else { return nil }
                return session
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let held = gate.withLock { gate -> Bool in
                    guard gate != nil else { return false }
                    gate!.append(continuation)
                    return true
                }
                if held { waiting.withLock { $0 += 1 } } else { continuation.resume() }
            }
            return row
        }

        func create(tenantID: String, userID: String, identity: WeavrIdentity, weavrToken: String) async throws -> Session {
            let now = clock.now
            let session = Session(sid: "s\(now)", tenantID: tenantID, userID: userID, identity: identity, createdAt: now, lastSeenAt: now,
                                  idleExpiresAt: now + 60_000, absoluteExpiresAt: now + 3_600_000)
            add(session)
            return session
        }
        func touch(sid: String, tenantID: String) async throws -> Session? {
            let now = clock.now
            return state.withLock { state in
                guard var session = state.sessions[sid], session.tenantID == tenantID, session.isLive(at: now) else { return nil }
                session.lastSeenAt = now
                session.idleExpiresAt = min(now + 60_000, session.absoluteExpiresAt)
                state.sessions[sid] = session
                return session
            }
        }
        func markSteppedUp(sid: String, tenantID: String, weavrToken: String?) async throws -> Session? {
            let now = clock.now
            return state.withLock { state in
                guard var session = state.sessions[sid], session.tenantID == tenantID else { return nil }
                session.steppedUpAt = now
                state.sessions[sid] = session
                return session
            }
        }
        func revoke(sid: String, tenantID: String) async throws -> Bool {
            let now = clock.now
            return state.withLock { state in
                guard var session = state.sessions[sid], session.tenantID == tenantID, session.revokedAt == nil else { return false }
                session.revokedAt = now
                state.sessions[sid] = session
                return true
            }
        }
        func revokeAll(tenantID: String) async throws -> Int {
            let now = clock.now
            return state.withLock { state in
                var count = 0
                for (sid, session) in state.sessions where session.tenantID == tenantID && session.revokedAt == nil {
                    state.sessions[sid]?.revokedAt = now
                    count += 1
                }
                return count
            }
        }
        func list(tenantID: String) async throws -> [Session] { state.withLock { Array($0.sessions.values) } }
        func weavrToken(sid: String, tenantID: String) async throws -> String? { nil }
        func purge(before cutoff: Int64) async throws -> Int { 0 }
    }

    static func session(_ sid: String, tenant: String = "acme", clock: ManualWallClock) -> Session {
        Session(sid: sid, tenantID: tenant, userID: "u-\(sid)", identity: WeavrIdentity(type: "consumer", id: "1"),
                createdAt: clock.now, lastSeenAt: clock.now, idleExpiresAt: clock.now + 60_000, absoluteExpiresAt: clock.now + 3_600_000)
    }

    @Test func aLiveSessionIsReadOnceThenServedFromMemory() async throws {
        let clock = ManualWallClock()
        let store = CountingStore(clock: clock)
        store.add(Self.session("a", clock: clock))
        let cache = CachedSessionStore(store, clock: clock)
        for _ in 0..<5 { #expect(try await cache.get(sid: "a", tenantID: "acme")?.sid == "a") }
        #expect(store.reads == 1)
        #expect(cache.cachedCount == 1)
        // Another tenant's request for the same sid: no such session for it, whatever is cached.
        #expect(try await cache.get(sid: "a", tenantID: "other") == nil)
        // An unknown sid is not remembered: every read asks the store (a later login may create it).
        #expect(try await cache.get(sid: "nope", tenantID: "acme") == nil)
        #expect(try await cache.get(sid: "nope", tenantID: "acme") == nil)
        #expect(store.reads == 3)
    }

    @Test func everyChangeTakesEffectOnTheNextRead() async throws {
        let clock = ManualWallClock()
        let store = CountingStore(clock: clock)
        for sid in ["a", "b", "c", "d"] { store.add(Self.session(sid, clock: clock)) }
        store.add(Self.session("x", tenant: "beta", clock: clock))
        let cache = CachedSessionStore(store, clock: clock)
        for sid in ["a", "b", "c", "d"] { _ = try await cache.get(sid: sid, tenantID: "acme") }
        _ = try await cache.get(sid: "x", tenantID: "beta")
        #expect(cache.cachedCount == 5)

        #expect(try await cache.revoke(sid: "a", tenantID: "acme"))
        #expect(try await cache.get(sid: "a", tenantID: "acme") == nil)

        _ = try await cache.markSteppedUp(sid: "b", tenantID: "acme", weavrToken: nil)
        #expect(try await cache.get(sid: "b", tenantID: "acme")?.isSteppedUp == true)

        clock.advance(by: 5_000)
        let touched = try await cache.touch(sid: "c", tenantID: "acme")
        #expect(try await cache.get(sid: "c", tenantID: "acme")?.idleExpiresAt == touched?.idleExpiresAt)

        #expect(try await cache.revokeAll(tenantID: "acme") == 3)
        #expect(try await cache.get(sid: "d", tenantID: "acme") == nil)
        #expect(try await cache.get(sid: "b", tenantID: "acme") == nil)
        // Another tenant's sessions are untouched (and still served from memory).
        let reads = store.reads
        #expect(try await cache.get(sid: "x", tenantID: "beta")?.sid == "x")
        #expect(store.reads == reads)

        cache.forgetAll()
        #expect(cache.cachedCount == 0)
    }

    @Test func anExpiredEntryIsNeverServed() async throws {
        let clock = ManualWallClock()
        let store = CountingStore(clock: clock)
        store.add(Self.session("a", clock: clock))
        let cache = CachedSessionStore(store, clock: clock)
        #expect(try await cache.get(sid: "a", tenantID: "acme") != nil)
        clock.advance(by: 60_000)  // the idle expiry
        #expect(try await cache.get(sid: "a", tenantID: "acme") == nil)
        #expect(store.reads == 2)
    }

    @Test func aReadThatRacedARevocationDoesNotFillTheCache() async throws {
        let clock = ManualWallClock()
        let store = CountingStore(clock: clock)
        store.add(Self.session("a", clock: clock))
        let cache = CachedSessionStore(store, clock: clock)
        store.holdReads()
        // This read sees the live row, then waits; the revocation commits and returns meanwhile.
        let racing = Task { try await cache.get(sid: "a", tenantID: "acme") }
        while store.heldReads == 0 { await Task.yield() }
        #expect(try await cache.revoke(sid: "a", tenantID: "acme"))
        store.releaseReads()
        // It answers what it read (it began before the revocation), but must not have filled the cache.
        #expect(try await racing.value?.sid == "a")
        #expect(cache.cachedCount == 0)
        #expect(try await cache.get(sid: "a", tenantID: "acme") == nil)
    }

    @Test func theCacheIsBounded() async throws {
        let clock = ManualWallClock()
        let store = CountingStore(clock: clock)
        for index in 0..<10 { store.add(Self.session("s\(index)", clock: clock)) }
        let cache = CachedSessionStore(store, clock: clock, capacity: 4)
        for index in 0..<10 { #expect(try await cache.get(sid: "s\(index)", tenantID: "acme") != nil) }
        #expect(cache.cachedCount <= 4)
        // Whatever was dropped is read again, correctly.
        for index in 0..<10 { #expect(try await cache.get(sid: "s\(index)", tenantID: "acme")?.sid == "s\(index)") }
    }
}
