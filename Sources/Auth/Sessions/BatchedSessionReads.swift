import Synchronization

/// Session reads for PostgreSQL, where every authenticated request reads its session row (other instances revoke
/// too, so no copy is kept): reads that wait at the same time are answered by one query (`SQLSessionStore.get(many:)`),
/// as group commit does for writes. Under load the reader connections stop being the bound: 64 requests in flight
/// are a few queries, not 64 round trips queued on four connections.
///
/// Exact: a read's query always starts after the read was asked for. The first reads (up to `maxInFlight` at a
/// time) run at once with whatever else waits; a read that arrives while they run waits for the next query, which
/// starts after the current one ends. So a session revoked before a request arrived is never returned to it.
/// Everything but `get` goes straight to the store (`ForwardingSessionStore`).
public final class BatchedSessionReads: ForwardingSessionStore {
    /// What the batcher needs of a store: one query for many sessions.
    public protocol Store: SessionStore {
        func get(many keys: [(sid: String, tenantID: String)]) async throws -> [Session?]
        /// Where a batch started on the calling thread runs (nil: the global executor). PostgreSQL: the caller's
        /// event loop, whose own connection answers the batch there, so no thread is switched on the way.
        var batchExecutor: (any TaskExecutor)? { get }
    }

    private let store: any Store
    public var base: any SessionStore { store }
    private let maxInFlight: Int
    private let maxBatch: Int

    private struct Waiter {
        var sid: String
        var tenantID: String
        var continuation: CheckedContinuation<Session?, any Error>
    }
    private struct State {
        var waiting: [Waiter] = []
        var inFlight = 0
        var queries = 0
    }
    private let state = Mutex(State())

    /// Batches over `store`: at most `maxInFlight` queries at once (the reader connections), each for at most
    /// `maxBatch` sessions.
    public init(_ store: any Store, maxInFlight: Int, maxBatch: Int = 256) {
        self.store = store
        self.maxInFlight = max(1, maxInFlight)
        self.maxBatch = max(1, maxBatch)
    }

    /// Queries run so far (for tests and metrics).
    public var queries: Int { state.withLock { $0.queries } }
    /// Reads waiting for the next query (for tests).
    public var waitingCount: Int { state.withLock { $0.waiting.count } }

    public func get(sid: String, tenantID: String) async throws -> Session? {
        // A free slot: query now, with whatever waits. Otherwise wait for a running batch to take this read.
        let leads = state.withLock { state -> Bool in
            guard state.inFlight < maxInFlight else { return false }
            state.inFlight += 1
            return true
        }
        guard leads else {
            return try await withCheckedThrowingContinuation { continuation in
                let raced = state.withLock { state -> Bool in
                    // The slot may have been given back between the check and now: then lead after all.
                    if state.inFlight < maxInFlight {
                        state.inFlight += 1
                        return true
                    }
                    state.waiting.append(Waiter(sid: sid, tenantID: tenantID, continuation: continuation))
                    return false
                }
                if raced {
                    Task(executorPreference: store.batchExecutor) {
                        await self.drain(first: Waiter(sid: sid, tenantID: tenantID, continuation: continuation))
                    }
                }
            }
        }
        let others = takeWaiting(room: maxBatch - 1)
        let sessions: [Session?]
        do {
            sessions = try await query([(sid, tenantID)] + others.map { ($0.sid, $0.tenantID) })
        } catch {
            for waiter in others { waiter.continuation.resume(throwing: error) }
            handOn()
            throw error
        }
        for (waiter, session) in zip(others, sessions.dropFirst()) { waiter.continuation.resume(returning: session) }
        handOn()
        return sessions[0]
    }

    private func query(_ keys: [(sid: String, tenantID: String)]) async throws -> [Session?] {
        state.withLock { $0.queries += 1 }
        return try await store.get(many: keys)
    }

    /// Up to `room` waiting reads, oldest first, taken off the queue.
    private func takeWaiting(room: Int) -> [Waiter] {
        state.withLock { state in
            let count = min(room, state.waiting.count)
            let taken = Array(state.waiting.prefix(count))
            state.waiting.removeFirst(count)
            return taken
        }
    }

    /// After a query: give the slot back, or — reads waited meanwhile — keep it for a batch of them.
    private func handOn() {
        let next = state.withLock { state -> Bool in
            guard !state.waiting.isEmpty else {
                state.inFlight -= 1
                return false
            }
            return true
        }
        if next { Task(executorPreference: store.batchExecutor) { await self.drain(first: nil) } }
    }

    /// Runs one batch in a held slot (`first` plus what waits), then hands the slot on.
    private func drain(first: Waiter?) async {
        let batch = (first.map { [$0] } ?? []) + takeWaiting(room: maxBatch - (first == nil ? 0 : 1))
        if !batch.isEmpty {
            do {
                let sessions = try await query(batch.map { ($0.sid, $0.tenantID) })
                for (waiter, session) in zip(batch, sessions) { waiter.continuation.resume(returning: session) }
            } catch {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
        handOn()
    }
}

extension BatchedSessionReads.Store {
    public var batchExecutor: (any TaskExecutor)? { nil }
}

extension SQLSessionStore: BatchedSessionReads.Store {}
