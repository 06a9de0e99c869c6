internal import Synchronization

/// The one writer connection, driven by one dedicated thread.
///
/// Callers enqueue jobs; the thread takes every waiting job (up to `maxBatchSize`), runs
/// them in one transaction, commits once, and only then resumes the callers whose jobs
/// succeeded (group commit). A job that fails never takes the others down with it:
/// - SQLite runs each job in its own savepoint (in-process, nearly free) and rolls back
///   to it when the job fails;
/// - PostgreSQL, where a savepoint and its release are two network round trips per job,
///   runs the batch without them; when a job fails the whole transaction is rolled back,
///   that job fails alone, and the rest run again in a new transaction, with a savepoint
///   each. Jobs are pure database work (callers resume only after the commit), so
///   running one again after a rollback is safe.
final class DatabaseWriter: @unchecked Sendable {
    /// Queue and batching limits.
    struct Limits: Sendable {
        var groupCommit: Bool
        var maxBatchSize: Int
        var maxQueueLength: Int
    }

    private let connection: any EngineConnection
    private let limits: Limits
    private let condition = ConditionLock()
    private let recordedStatistics = Mutex(WriterStatistics())
    private let observers = Mutex(Observers())
    private let recordedFailure = Mutex<WriteFailure?>(nil)
    private var thread: DedicatedThread?
    private let memo = WriteMemo()

    /// The observers sit in a struct, never as a `Mutex`'s value themselves: a generic value that is a closure is
    /// stored reabstracted, and each `withLock` that reads it wrote it back wrapped in two more thunks. The
    /// commit observer grew by two thunks per commit: a call cost more each time, it leaked two boxes per
    /// commit, and its depth would in the end overflow the writer thread's stack (`WriterTests`).
    private struct Observers {
        var commit: (@Sendable (WriterCommit) -> Void)?
        var failure: (@Sendable (WriteFailure) -> Void)?
    }

    // Guarded by `condition`.
    private var pendingJobs: [WriteJob] = []
    private var isClosing = false
    private var isFinished = false

    /// Takes ownership of `connection` and starts the writer thread.
    init(connection: any EngineConnection, limits: Limits) {
        self.connection = connection
        self.limits = limits
        connection.writeMemo = memo
        thread = DedicatedThread(name: "storage-writer") { [self] in
            runUntilClosed()
        }
    }

    /// A snapshot of the counters.
    var statistics: WriterStatistics {
        recordedStatistics.withLock { $0 }
    }

    /// Sets the function called on the writer thread after each committed transaction.
    func observeCommits(_ observer: (@Sendable (WriterCommit) -> Void)?) {
        observers.withLock { $0.commit = observer }
    }

    /// Sets the function called for every write refused for want of the database (`StorageError.isUnavailable`),
    /// on the thread that refused it.
    func observeFailures(_ observer: (@Sendable (WriteFailure) -> Void)?) {
        observers.withLock { $0.failure = observer }
    }

    /// The most recent write refused for want of the database, if any.
    var lastFailure: WriteFailure? {
        recordedFailure.withLock { $0 }
    }

    /// Jobs waiting for the writer thread.
    var pendingJobCount: Int {
        condition.withLock { pendingJobs.count }
    }

    /// Queues `job`, or fails it at once with `.busy` when the queue is full and with
    /// `.closed` after `close()`. Never blocks.
    func enqueue(_ job: WriteJob) {
        let rejection: StorageError? = condition.withLock {
            if isClosing { return .closed }
            if pendingJobs.count >= limits.maxQueueLength { return .busy }
            pendingJobs.append(job)
            condition.signal()
            return nil
        }
        if let rejection { refuse(job, rejection) }
    }

    /// Fails `job` with `error`; a failure of the database itself (not of the job's own work, such as a
    /// constraint) is also recorded and reported to the failure observer.
    private func refuse(_ job: WriteJob, _ error: any Error) {
        if let storageError = error as? StorageError, storageError.isUnavailable {
            let failure = WriteFailure(error: storageError, time: .now)
            recordedFailure.withLock { $0 = failure }
            observers.withLock { $0.failure }?(failure)
        }
        job.fail(error)
    }

    /// Runs every queued job, stops the thread and closes the connection.
    ///
    /// Called on the writer thread itself (the last reference to the database dropped by
    /// a job), it only asks the thread to stop once the queue is drained.
    func close() {
        let closingThread: DedicatedThread? = condition.withLock {
            if !isClosing {
                isClosing = true
                condition.broadcast()
            }
            if let thread, thread.isCurrent {
                thread.detach()
                self.thread = nil
                return nil
            }
            while !isFinished { condition.wait() }
            defer { thread = nil }
            return thread
        }
        closingThread?.join()
    }

    private func runUntilClosed() {
        while let batch = nextBatch() {
            if limits.groupCommit, connection.dialect == .postgres {
                commitOptimistically(batch)
            } else if limits.groupCommit {
                commitInOneTransaction(batch[...])
            } else {
                for index in batch.indices {
                    commitInOneTransaction(batch[index...index])
                }
            }
        }
        connection.close()
        condition.withLock {
            isFinished = true
            condition.broadcast()
        }
    }

    /// Waits for work and takes every waiting job up to `maxBatchSize`; `nil` once closed
    /// and drained.
    private func nextBatch() -> [WriteJob]? {
        condition.withLock {
            while pendingJobs.isEmpty && !isClosing { condition.wait() }
            guard !pendingJobs.isEmpty else { return nil }
            let count = min(pendingJobs.count, limits.maxBatchSize)
            let batch = Array(pendingJobs.prefix(count))
            pendingJobs.removeFirst(count)
            return batch
        }
    }

    /// PostgreSQL: the batch without savepoints; on the first failing job, a rollback, that job
    /// refused, and the others run again with a savepoint each.
    private func commitOptimistically(_ batch: [WriteJob]) {
        let start = ContinuousClock.now
        memo.clear()
        defer { memo.clear() }
        do {
            try connection.beginWriteTransaction()
        } catch {
            // Busy, unreachable: nothing runs, the batch fails closed.
            for job in batch { refuse(job, error) }
            record(committedJobs: 0, failedJobs: batch.count)
            return
        }
        var acknowledgements: [@Sendable () -> Void] = []
        acknowledgements.reserveCapacity(batch.count)
        for (position, job) in batch.enumerated() {
            do {
                acknowledgements.append(try perform(job))
            } catch {
                if connection.isInTransaction { _ = try? connection.run("ROLLBACK") }
                refuse(job, error)
                record(committedJobs: 0, failedJobs: 1)
                var rest = batch
                rest.remove(at: position)
                if !rest.isEmpty { commitInOneTransaction(rest[...]) }
                return
            }
        }
        do {
            try connection.commitWriteTransaction()
        } catch {
            // Serialization, deferred constraint, connection lost during COMMIT: nothing is acknowledged.
            if connection.isInTransaction { _ = try? connection.run("ROLLBACK") }
            for job in batch { refuse(job, error) }
            record(committedJobs: 0, failedJobs: batch.count)
            return
        }
        record(committedJobs: batch.count, failedJobs: 0)
        if let observer = observers.withLock({ $0.commit }) {
            observer(WriterCommit(jobs: batch.count, duration: ContinuousClock.now - start))
        }
        for acknowledge in acknowledgements { acknowledge() }
    }

    private func commitInOneTransaction(_ batch: ArraySlice<WriteJob>) {
        memo.clear()
        defer { memo.clear() }
        var performed: [(job: WriteJob, acknowledge: @Sendable () -> Void)] = []
        var failedCount = 0
        let start = ContinuousClock.now
        func fail(_ job: WriteJob, _ error: any Error) {
            failedCount += 1
            refuse(job, error)
        }
        // Flushed unless no job of the batch needs it (`WriteDurability.withNextFlush`). When the connection cannot
        // switch back to flushing, nothing runs: a job that needs its flush never commits without it.
        let flushed: Bool
        do {
            flushed = try connection.flushCommits(batch.contains { $0.durability == .flushed })
        } catch {
            for job in batch { fail(job, error) }
            record(committedJobs: 0, failedJobs: failedCount)
            return
        }

        for (position, job) in zip(batch.indices, batch) {
            if !connection.isInTransaction {
                do {
                    try connection.beginWriteTransaction()
                } catch {
                    // Busy, read-only, I/O: nothing runs, the rest of the batch fails closed.
                    for remaining in batch[position...] { fail(remaining, error) }
                    break
                }
            }
            do {
                try connection.run("SAVEPOINT write_job")
                let acknowledge = try perform(job)
                connection.finishStatements()
                try connection.run("RELEASE write_job")
                performed.append((job, acknowledge))
            } catch {
                connection.finishStatements()
                memo.clear()  // it may hold what the failed job wrote
                if connection.isInTransaction, (try? rollBackToSavepoint()) != nil {
                    fail(job, error)
                } else {
                    // SQLite rolled back the whole transaction (it may on SQLITE_FULL or
                    // SQLITE_IOERR): the jobs already run in it are lost with it.
                    if connection.isInTransaction { _ = try? connection.run("ROLLBACK") }
                    fail(job, error)
                    for done in performed { fail(done.job, error) }
                    performed.removeAll()
                }
            }
        }

        guard connection.isInTransaction else {
            record(committedJobs: 0, failedJobs: failedCount)
            return
        }
        do {
            if performed.isEmpty { try connection.run("ROLLBACK") } else { try connection.commitWriteTransaction() }
        } catch {
            // Disk full, I/O error, deferred foreign key: nothing of the batch is acknowledged.
            if connection.isInTransaction { _ = try? connection.run("ROLLBACK") }
            for done in performed { fail(done.job, error) }
            record(committedJobs: 0, failedJobs: failedCount)
            return
        }
        record(committedJobs: performed.count, failedJobs: failedCount, flushed: flushed)
        if let observer = observers.withLock({ $0.commit }), !performed.isEmpty {
            observer(WriterCommit(jobs: performed.count, duration: ContinuousClock.now - start))
        }
        for done in performed { done.acknowledge() }
    }

    /// Runs `job`; a job that swallowed the error of one of its statements has failed all the same.
    private func perform(_ job: WriteJob) throws -> @Sendable () -> Void {
        let acknowledge = try job.perform(connection)
        if connection.transactionHasFailed { throw Self.swallowedFailure }
        return acknowledge
    }

    static let swallowedFailure = StorageError.other(code: 0, message: "a statement of the write job failed inside its transaction")

    private func rollBackToSavepoint() throws {
        try connection.run("ROLLBACK TO write_job")
        try connection.run("RELEASE write_job")
    }

    private func record(committedJobs: Int, failedJobs: Int, flushed: Bool = true) {
        recordedStatistics.withLock { statistics in
            if committedJobs > 0 {
                statistics.transactionsCommitted += 1
                if !flushed { statistics.unflushedTransactions += 1 }
                statistics.jobsCommitted += committedJobs
                statistics.largestBatch = max(statistics.largestBatch, committedJobs)
            }
            statistics.jobsFailed += failedJobs
        }
    }
}
