import Synchronization

/// The bounded queue between the fan-out (`WeavrEventHub`) and one `/v1/events` stream. The hub never waits on a
/// stream: when the queue is full, the stream is marked dropped and the hub forgets it, so a slow client costs at
/// most `capacity` events here plus the connection's own send buffer.
final class EventStreamQueue: Sendable {
    enum Item: Sendable, Equatable {
        case event(WeavrEventStore.StoredEvent)
        case heartbeat
        /// The client fell behind (or the gateway is stopping): end the stream.
        case dropped
    }

    private struct State {
        var events: [WeavrEventStore.StoredEvent] = []
        var heartbeatDue = false
        var dropped = false
        var waiter: CheckedContinuation<Item, Never>?
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds `event`; false (and the queue is dropped) when it was full.
    @discardableResult
    func push(_ event: WeavrEventStore.StoredEvent) -> Bool {
        let (waiter, accepted): (CheckedContinuation<Item, Never>?, Bool) = state.withLock { state in
            guard !state.dropped else { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, true)
            }
            guard state.events.count < capacity else {
                state.dropped = true
                state.events = []
                return (nil, false)
            }
            state.events.append(event)
            return (nil, true)
        }
        waiter?.resume(returning: .event(event))
        return accepted
    }

    /// Asks for a heartbeat unless an event is waiting.
    func tick() {
        let waiter: CheckedContinuation<Item, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.heartbeatDue = true
            return nil
        }
        waiter?.resume(returning: .heartbeat)
    }

    /// Ends the stream at its next `next()`.
    func drop() {
        let waiter: CheckedContinuation<Item, Never>? = state.withLock { state in
            state.dropped = true
            state.events = []
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: .dropped)
    }

    var isDropped: Bool { state.withLock { $0.dropped } }

    /// The next item, waiting for one.
    func next() async -> Item {
        await withCheckedContinuation { continuation in
            let ready: Item? = state.withLock { state in
                if state.dropped { return .dropped }
                if !state.events.isEmpty { return .event(state.events.removeFirst()) }
                if state.heartbeatDue {
                    state.heartbeatDue = false
                    return .heartbeat
                }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
