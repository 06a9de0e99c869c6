/// The bounded queue between `DatabaseCopy`'s two storage threads: the source's reader thread sends
/// pages, the target's writer thread receives them, so at most `capacity` pages are held in memory.
///
/// Either side ends it with `fail`: the other's next `send` or `receive` throws that error at once,
/// so neither thread waits for a side that has given up.
final class CopyChannel<Snapshot: Sendable>: @unchecked Sendable {
    enum Message {
        /// First: the tables in copy order and what the caller read from the source's snapshot.
        case start([CopyTable], Snapshot)
        /// Rows of table `index`, in key order.
        case rows(index: Int, [[SQLValue]])
        /// Table `index` is complete; its digest as read from the source.
        case end(index: Int, TableDigest)
        /// Every table has been sent.
        case finished
    }

    private let condition = ConditionLock()
    private let capacity: Int
    // Guarded by `condition`.
    private var queue: [Message] = []
    private var failure: (any Error)?
    private var started = false
    private var startWaiters: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Waits while the queue is full; throws the error the channel failed with.
    func send(_ message: Message) throws {
        let waiters: [CheckedContinuation<Void, Never>] = try condition.withLock {
            while queue.count >= capacity && failure == nil { condition.wait() }
            if let failure { throw failure }
            queue.append(message)
            condition.broadcast()
            guard case .start = message else { return [] }
            started = true
            defer { startWaiters.removeAll() }
            return startWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once `.start` has been sent, or the channel has failed (then its error).
    func waitUntilStarted() async -> (any Error)? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = condition.withLock {
                guard !started && failure == nil else { return false }
                startWaiters.append(continuation)
                return true
            }
            if !waiting { continuation.resume() }
        }
        return condition.withLock { failure }
    }

    /// Waits for the next message; throws the error the channel failed with.
    func receive() throws -> Message {
        try condition.withLock {
            while queue.isEmpty && failure == nil { condition.wait() }
            if let failure { throw failure }
            let message = queue.removeFirst()
            condition.broadcast()
            return message
        }
    }

    /// Ends the channel with `error` (the first failure wins) and wakes both sides.
    func fail(_ error: any Error) {
        let waiters = condition.withLock {
            if failure == nil { failure = error }
            queue.removeAll()
            condition.broadcast()
            defer { startWaiters.removeAll() }
            return startWaiters
        }
        waiters.forEach { $0.resume() }
    }
}
