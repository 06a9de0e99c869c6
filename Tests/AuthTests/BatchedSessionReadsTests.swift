import GatewayCore
import Synchronization
import Testing
@testable import Auth

extension CachedSessionStoreTests.CountingStore: BatchedSessionReads.Store {
    /// One read of the rows for all keys (counted once), held at the gate like `get`.
    func get(many keys: [(sid: String, tenantID: String)]) async throws -> [Session?] {
        guard let first = keys.first else { return [] }
        let head = try await get(sid: first.sid, tenantID: first.tenantID)  // counts the read, waits at the gate
        let now = clock.now
        let rest: [Session?] = keys.dropFirst().map { key in
            guard let session = sessionNow(key.sid), session.tenantID == key.tenantID, session.isLive(at: now) else { return nil }
            return session
        }
        return [head] + rest
    }
}

/// Session reads on PostgreSQL batched like group commit (`BatchedSessionReads`): reads that wait together are
/// one query, and a read never gets an answer from a query that began before it was asked.
struct BatchedSessionReadsTests {
    typealias Store = CachedSessionStoreTests.CountingStore

    /// Waits (yielding) until `condition` holds; a bounded number of turns, never a sleep.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<100_000 {
            if condition() { return true }
            await Task.yield()
        }
        return condition()
    }

    @Test func readsThatWaitTogetherAreOneQueryThatStartsAfterThemAll() async throws {
        let clock = ManualWallClock()
        let store = Store(clock: clock)
        for n in 0..<21 { store.add(CachedSessionStoreTests.session("s\(n)", clock: clock)) }
        let reads = BatchedSessionReads(store, maxInFlight: 1)

        // The first read runs at once; its query is held after it read the rows.
        store.holdReads()
        let first = Task { try await reads.get(sid: "s0", tenantID: "acme") }
        #expect(await Self.eventually { store.heldReads == 1 })
        // Twenty more arrive while it runs: they wait for the next query.
        let others = (1...20).map { n in Task { try await reads.get(sid: "s\(n)", tenantID: n == 20 ? "beta" : "acme") } }
        #expect(await Self.eventually { reads.waitingCount == 20 })
        // s5 is revoked after those reads were asked for, before their query: they must not see it live.
        #expect(try await store.revoke(sid: "s5", tenantID: "acme"))
        store.releaseReads()

        #expect(try await first.value?.sid == "s0")
        var answers: [String?] = []
        for task in others { answers.append(try await task.value?.sid) }
        #expect(answers[4] == nil)  // s5: revoked before the query that answered it
        #expect(answers[19] == nil)  // s20 asked for by another tenant
        #expect(answers.enumerated().allSatisfy { index, sid in [4, 19].contains(index) || sid == "s\(index + 1)" })
        #expect(reads.queries == 2)
        #expect(store.reads == 2)
    }

    @Test func aReadAfterARevocationReturnedIsRefusedAndEveryChangeGoesToTheStore() async throws {
        let clock = ManualWallClock()
        let store = Store(clock: clock)
        store.add(CachedSessionStoreTests.session("a", clock: clock))
        let reads = BatchedSessionReads(store, maxInFlight: 4)
        #expect(try await reads.get(sid: "a", tenantID: "acme")?.sid == "a")
        #expect(try await reads.revoke(sid: "a", tenantID: "acme"))
        #expect(try await reads.get(sid: "a", tenantID: "acme") == nil)
        // Many reads at once: every one answered, each of its own session.
        for n in 0..<50 { store.add(CachedSessionStoreTests.session("m\(n)", clock: clock)) }
        let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for n in 0..<50 { group.addTask { (n, try await reads.get(sid: "m\(n)", tenantID: "acme")?.sid) } }
            return try await group.reduce(into: [Int: String?]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 50 && answers.allSatisfy { $0.value == "m\($0.key)" })
        #expect(reads.waitingCount == 0)
    }
}
