import Synchronization

/// Fans the event log out to the open `/v1/events` streams of this instance. It reads the log itself (after its
/// cursor, in seq order) rather than passing events from hand to hand, so one path serves both engines: on
/// SQLite the receiver pokes it after each commit (one `serve` per file: nothing else writes); on PostgreSQL every
/// instance's `LISTEN weavr_events` pokes it when any instance commits an event (`pg_notify` in the same
/// transaction), and a slow poll every `pollInterval` is the safety net. Writes commit in seq order under the
/// writer's cluster-wide lock, so a seq cursor misses nothing whichever way the hub is woken.
final class WeavrEventHub: Sendable {
    enum Refusal: Error { case session, tenant }

    struct Subscription: Sendable {
        let id: UInt64
        let queue: EventStreamQueue
    }

    private struct Subscriber {
        var tenantID: String
        var identityID: String
        var sid: String
        var queue: EventStreamQueue
    }

    private struct State {
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 1
        var cursor: Int64
        var pumping = false
        var pumpAgain = false
        var dropped = 0
    }

    let store: WeavrEventStore
    let settings: WeavrEventSettings
    private let state: Mutex<State>

    /// A hub whose cursor starts at the log's newest event (`latestSeq`).
    init(store: WeavrEventStore, settings: WeavrEventSettings, startingAfter seq: Int64) {
        self.store = store
        self.settings = settings
        state = Mutex(State(cursor: seq))
    }

    /// Registers a stream of `identityID`'s events, or refuses it over the per-session or per-tenant limit.
    func subscribe(tenantID: String, identityID: String, sid: String) throws(Refusal) -> Subscription {
        let settings = self.settings
        let result: Result<Subscription, Refusal> = state.withLock { state in
            var perSession = 0
            var perTenant = 0
            for subscriber in state.subscribers.values where subscriber.tenantID == tenantID {
                perTenant += 1
                if subscriber.sid == sid { perSession += 1 }
            }
            if perSession >= settings.streamsPerSession { return .failure(.session) }
            if perTenant >= settings.streamsPerTenant { return .failure(.tenant) }
            let id = state.nextID
            state.nextID += 1
            let queue = EventStreamQueue(capacity: settings.streamQueueDepth)
            state.subscribers[id] = Subscriber(tenantID: tenantID, identityID: identityID, sid: sid, queue: queue)
            return .success(Subscription(id: id, queue: queue))
        }
        return try result.get()
    }

    func unsubscribe(_ subscription: Subscription) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: subscription.id) }
    }

    /// Open streams (all tenants).
    var openStreams: Int { state.withLock { $0.subscribers.count } }
    /// Streams dropped because their client fell behind, since start.
    var droppedStreams: Int { state.withLock { $0.dropped } }

    /// Reads the log after the cursor and delivers, soon, off the caller's path.
    func poke() {
        Task { await self.pump() }
    }

    /// Reads the log after the cursor and delivers what it finds; one pass at a time (a poke during a pass
    /// makes it go round again).
    func pump() async {
        let claimed: Bool = state.withLock { state in
            if state.pumping {
                state.pumpAgain = true
                return false
            }
            state.pumping = true
            return true
        }
        guard claimed else { return }
        while true {
            let cursor = state.withLock { state in
                state.pumpAgain = false
                return state.cursor
            }
            let events: [WeavrEventStore.StoredEvent]
            do {
                events = try await store.events(after: cursor, limit: 500)
            } catch {
                // The log could not be read (busy, unreachable): while streams wait, try again shortly rather than wait for
                // the next poke.
                let streaming: Bool = state.withLock { state in
                    state.pumping = false
                    return !state.subscribers.isEmpty
                }
                guard streaming else { return }
                Task {
                    try? await Task.sleep(for: .milliseconds(200))
                    await self.pump()
                }
                return
            }
            deliver(events)
            let again: Bool = state.withLock { state in
                if let last = events.last { state.cursor = max(state.cursor, last.seq) }
                if events.count == 500 || state.pumpAgain { return true }
                state.pumping = false
                return false
            }
            if !again { return }
        }
    }

    private func deliver(_ events: [WeavrEventStore.StoredEvent]) {
        guard !events.isEmpty else { return }
        state.withLock { state in
            for event in events {
                guard let identity = event.identityID else { continue }
                for (id, subscriber) in state.subscribers where subscriber.tenantID == event.tenantID && subscriber.identityID == identity {
                    if !subscriber.queue.push(event) {
                        // A full queue: this client is too slow. It is forgotten here; its stream ends.
                        state.subscribers.removeValue(forKey: id)
                        state.dropped += 1
                    }
                }
            }
        }
    }

    /// PostgreSQL: the safety-net poll of the log every `pollInterval` until cancelled. Not needed on SQLite.
    func startPolling() -> Task<Void, Never> {
        let interval = settings.pollInterval
        return Task.detached { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await pump()
            }
        }
    }

    /// Ends every open stream (shutdown).
    func dropAll() {
        let queues = state.withLock { state in
            let queues = state.subscribers.values.map(\.queue)
            state.subscribers = [:]
            return queues
        }
        for queue in queues { queue.drop() }
    }
}
