import GatewayCore

/// The read-only connections, each owned by a dedicated thread, so that reads never block
/// the caller's thread (an event loop or Swift's cooperative pool).
///
/// Callers enqueue jobs; an idle reader thread takes the oldest, runs it, ends its read
/// snapshot and resumes the caller. A job still queued at its deadline (every reader busy
/// for `checkoutTimeout`) is failed with `StorageError.busy` by a small timer thread.
final class ReaderPool: @unchecked Sendable {
    /// Readers wait on condition `readersCondition`, the timer on `timerCondition`: a new job wakes one reader,
    /// and the timer only when the job may have to wait, that is when no reader is idle (later jobs have later
    /// deadlines than the head it waits for). A job taken by an idle reader never wakes the timer thread.
    private let condition = ConditionLock(conditions: 2)
    private static let readersCondition = 0
    private static let timerCondition = 1
    private let checkoutTimeout: Duration
    /// Connection `i` is used only by reader thread `i`.
    private let connections: [any EngineConnection]
    /// The reader connections.
    var count: Int { connections.count }
    private var threads: [DedicatedThread] = []

    // Guarded by `condition`.
    private var pendingJobs = FIFOQueue<ReadJob>(compactAfter: 1024)
    private var isClosing = false
    /// Reader threads inside `nextJob`'s wait.
    private var waitingReaders = 0

    /// Takes ownership of `connections` and starts one thread per connection plus the timer thread.
    init(connections: [any EngineConnection], checkoutTimeout: Duration) {
        self.checkoutTimeout = checkoutTimeout
        self.connections = connections
        var threads: [DedicatedThread] = []
        for index in connections.indices {
            threads.append(DedicatedThread(name: "storage-reader-\(index)") { [self] in
                runUntilClosed(self.connections[index])
            })
        }
        threads.append(DedicatedThread(name: "storage-read-timer") { [self] in
            expireUntilClosed()
        })
        condition.withLock { self.threads = threads }
    }

    /// Jobs waiting for a free reader.
    var pendingJobCount: Int {
        condition.withLock { pendingJobs.count }
    }

    /// Queues a job for the next free reader: `perform` runs there and returns the closure
    /// that resumes the caller; `fail` resumes it with `.busy` when no reader was free within
    /// `checkoutTimeout`, or at once with `.closed` after `close()`. Never blocks.
    func enqueue(
        perform: @escaping @Sendable (any SQLConnection) -> @Sendable () -> Void,
        fail: @escaping @Sendable (any Error) -> Void
    ) {
        let job = ReadJob(deadline: .now + checkoutTimeout, perform: perform, fail: fail)
        let accepted = condition.withLock {
            guard !isClosing else { return false }
            let queuedBefore = pendingJobs.count
            pendingJobs.append(job)
            // One job, one reader: a busy reader looks at the queue before it waits, so none is missed.
            condition.signal(Self.readersCondition)
            // More waiting readers than queued jobs: one of them takes this job now. Otherwise it may wait,
            // and the timer must watch the queue's deadlines.
            if waitingReaders <= queuedBefore { condition.signal(Self.timerCondition) }
            return true
        }
        if !accepted { fail(StorageError.closed) }
    }

    /// Fails every queued job with `.closed`, lets running reads finish, stops the threads
    /// and closes the connections. Blocks until done, except for a reader's own thread (the
    /// last reference to the database dropped by a read), which stops once its read returns.
    func close() {
        let (abandoned, others): ([ReadJob], [DedicatedThread]) = condition.withLock {
            isClosing = true
            let abandoned = pendingJobs.removeAll()
            condition.broadcast(Self.readersCondition)
            condition.broadcast(Self.timerCondition)
            let threads = self.threads
            self.threads.removeAll()
            return (abandoned, threads)
        }
        for job in abandoned { job.fail(StorageError.closed) }
        for thread in others {
            if thread.isCurrent {
                thread.detach()
            } else {
                thread.join()
            }
        }
    }

    private func runUntilClosed(_ connection: any EngineConnection) {
        while let job = nextJob() {
            connection.prepareForJob()
            let resume = job.perform(connection)
            // End the read snapshot so the next read sees every write committed before it.
            connection.finishStatements()
            if connection.isInTransaction { _ = try? connection.run("ROLLBACK") }
            resume()
        }
        connection.close()
    }

    /// Waits for a job and takes the oldest; `nil` once closed.
    private func nextJob() -> ReadJob? {
        condition.withLock {
            waitingReaders += 1
            while pendingJobs.isEmpty && !isClosing { condition.wait(Self.readersCondition) }
            waitingReaders -= 1
            guard !isClosing else { return nil }
            return pendingJobs.popFirst()
        }
    }

    /// Fails queued jobs whose deadline passed while every reader was busy.
    private func expireUntilClosed() {
        while let expired = nextExpiredJobs() {
            for job in expired { job.fail(StorageError.busy) }
        }
    }

    /// Waits until the oldest queued job's deadline passes and takes every job past its
    /// deadline (the queue is in deadline order); `nil` once closed.
    private func nextExpiredJobs() -> [ReadJob]? {
        condition.withLock {
            while !isClosing {
                guard let oldest = pendingJobs.first else {
                    condition.wait(Self.timerCondition)
                    continue
                }
                let now = ContinuousClock.now
                let remaining = oldest.deadline - now
                guard remaining <= .zero else {
                    _ = condition.wait(timeout: remaining, Self.timerCondition)
                    continue
                }
                var expired: [ReadJob] = []
                while let job = pendingJobs.first, job.deadline <= now {
                    expired.append(job)
                    _ = pendingJobs.popFirst()
                }
                return expired
            }
            return nil
        }
    }
}
