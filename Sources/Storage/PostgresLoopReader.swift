internal import CLibPQ
internal import CSystem
internal import NIOFreeHTTP
import GatewayCore
import Synchronization
#if canImport(Glibc)
internal import Glibc
#endif

/// One PostgreSQL connection driven by an event loop (docs/ARCHITECTURE.md, "Several instances"): libpq in
/// non-blocking mode, its socket in the loop's epoll set, statements sent and answered on the loop's thread.
///
/// For the reads every authenticated request makes on PostgreSQL (its session, its request rate: one statement
/// per batch of requests). Through a reader thread each of them was four thread switches on a busy core — the
/// request's loop hands the job to a reader, the reader sleeps in `poll`, wakes, hands the answer back — and on
/// one core those switches were a third of the gateway's time. Here the statement leaves with the loop's other
/// writes and its answer is read when epoll reports it, like an upstream response.
///
/// Statements wait in arrival order and go out one at a time. A statement this session has not seen is prepared
/// first (`PQsendPrepare`, then `PQsendQueryPrepared`), as on the reader connections. When the connection is not
/// up — not yet, or broken — `query` returns nil before anything is sent and the caller uses a reader thread; a
/// broken connection fails the statement in flight (`unreachable`), hands the waiting ones back to the readers,
/// and is reopened off the loop (100 ms doubling to 5 s).
final class PostgresLoopReader: EventLoopHandler, @unchecked Sendable {
    private struct Pending {
        let sql: String
        let values: [SQLValue]
        /// nil: not sent, use a reader.
        let continuation: UnsafeContinuation<Result<[Row], any Error>?, Never>
    }

    private enum Phase {
        case idle
        case preparing(name: String, key: PostgresConnection.PreparedKey, Pending)
        case executing(prepared: String?, Pending)
    }

    let loop: EventLoop
    private let target: PostgresListenTarget
    /// Set while a connection is up on the loop (read from any thread to skip the loop when it is not).
    private let up = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)

    // Loop thread only.
    private var connection: PostgresConnection?
    private var fd: Int32 = -1
    private var watchingWrites = false
    private var queue = FIFOQueue<Pending>()
    private var phase = Phase.idle
    private var result: OpaquePointer?
    private var reconnecting = false
    /// When the statement in flight was sent (the loop's clock, ns), for `deadlineNanoseconds`.
    private var sentAt: UInt64 = 0
    /// A statement unanswered this long (twice `statement_timeout`, which PostgreSQL enforces itself) means the
    /// server or the network is gone without a word: the connection is dropped rather than leave its callers waiting.
    private let deadlineNanoseconds: UInt64

    /// Statements asked for and not yet answered (`Database` sends the next one to the least busy connection).
    private let outstanding = Atomic<Int>(0)
    var outstandingCount: Int { outstanding.load(ordering: .relaxed) }
    /// Statements answered on the loop so far (tests, metrics).
    private let answered = Atomic<Int>(0)
    var answeredCount: Int { answered.load(ordering: .relaxed) }
    /// True while the connection is up.
    var isUp: Bool { up.load(ordering: .acquiring) }

    /// A reader on `loop` for the database at `target`; connects now (on the calling thread) and, when it cannot,
    /// in the background.
    init(loop: EventLoop, target: PostgresListenTarget) {
        self.loop = loop
        self.target = target
        let timeout = target.settings.statementTimeout.components
        deadlineNanoseconds = 2 * (UInt64(max(0, timeout.seconds)) * 1_000_000_000 + UInt64(max(0, timeout.attoseconds) / 1_000_000_000))
        let connection = PostgresConnection(url: target.url, settings: target.settings)
        let box = UncheckedBox(connection)
        loop.execute {
            _ = self.loop.addTickHandler { [weak self] now in self?.checkDeadline(now: now) }
            if box.value.isConnected { self.adopt(box.value) } else { self.reconnect() }
        }
    }

    /// Runs `sql` on this loop's connection and returns its rows; nil when the connection is not up (nothing was
    /// sent: run it on a reader). Throws the statement's `StorageError`.
    func query(_ sql: String, _ values: [SQLValue]) async throws -> [Row]? {
        guard up.load(ordering: .acquiring) else { return nil }
        outstanding.add(1, ordering: .relaxed)
        defer { outstanding.subtract(1, ordering: .relaxed) }
        let outcome = await withUnsafeContinuation { continuation in
            let pending = Pending(sql: sql, values: values, continuation: continuation)
            if loop.inEventLoop {
                enqueue(pending)
            } else {
                loop.execute { self.enqueue(pending) }
            }
        }
        return try outcome?.get()
    }

    /// Closes the connection; statements waiting go to the readers (which fail them once the database is closed).
    func close() {
        closed.store(true, ordering: .releasing)
        loop.execute { self.drop(failing: StorageError.closed) }
    }

    // MARK: - Loop thread

    private func enqueue(_ pending: Pending) {
        guard connection != nil else {
            pending.continuation.resume(returning: nil)
            return
        }
        queue.append(pending)
        if case .idle = phase { startNext() }
    }

    private func startNext() {
        while case .idle = phase, let connection, let next = queue.popFirst() {
            do {
                sentAt = loop.now
                switch try connection.startStatement(next.sql, next.values) {
                case .preparing(let name, let key): phase = .preparing(name: name, key: key, next)
                case .executing(let prepared): phase = .executing(prepared: prepared, next)
                }
            } catch {
                // Nothing of it reached the server: the connection is broken. A reader runs it.
                next.continuation.resume(returning: nil)
                return drop(failing: StorageError.unreachable)
            }
            flush()
        }
    }

    private func flush() {
        guard let connection else { return }
        do {
            let done = try connection.flushOutput()
            if done == watchingWrites {
                watchingWrites = !done
                loop.modify(fd: fd, events: csys_EPOLLIN | (done ? 0 : csys_EPOLLOUT))
            }
        } catch {
            drop(failing: StorageError.unreachable)
        }
    }

    func handleEvents(_ events: UInt32) {
        if events & csys_EPOLLOUT != 0 { flush() }
        guard let connection, events & (csys_EPOLLIN | csys_EPOLLHUP | csys_EPOLLERR) != 0 else { return }
        do {
            try connection.consumeInput()
        } catch {
            return drop(failing: StorageError.unreachable)
        }
        readResults()
    }

    /// Takes every result that is in, finishing commands as they complete.
    private func readResults() {
        while let connection = self.connection {
            if case .idle = phase {
                // Nothing was asked: a notice or a notification, which `consumeInput` has taken in.
                return
            }
            switch connection.nextIncoming() {
            case .waiting:
                return
            case .result(let next):
                if result == nil { result = next } else { PQclear(next) }
            case .end:
                let finished = result
                result = nil
                finishCommand(finished, on: connection)
            }
        }
    }

    private func finishCommand(_ finished: OpaquePointer?, on connection: PostgresConnection) {
        switch phase {
        case .idle:
            if let finished { PQclear(finished) }
        case .preparing(let name, let key, let pending):
            phase = .idle
            do {
                try connection.finishPrepare(finished)
                try connection.sendPrepared(name: name, key: key, values: pending.values)
                phase = .executing(prepared: name, pending)
                flush()
                return
            } catch StorageError.unreachable {
                pending.continuation.resume(returning: .failure(StorageError.unreachable))
                return drop(failing: StorageError.unreachable)
            } catch {
                pending.continuation.resume(returning: .failure(error))
            }
            startNext()
        case .executing(let prepared, let pending):
            phase = .idle
            let outcome = Result { try connection.finish(finished, prepared: prepared) }
            answered.wrappingAdd(1, ordering: .relaxed)
            pending.continuation.resume(returning: outcome)
            if case .failure(StorageError.unreachable) = outcome { return drop(failing: StorageError.unreachable) }
            startNext()
        }
    }

    /// Drops the connection when the statement in flight has waited past the deadline (a tick of the loop).
    private func checkDeadline(now: UInt64) {
        if case .idle = phase { return }
        guard now &- sentAt > deadlineNanoseconds else { return }
        drop(failing: StorageError.unreachable)
    }

    /// Takes a connection up: non-blocking, watched by the loop.
    private func adopt(_ candidate: PostgresConnection) {
        reconnecting = false
        guard !closed.load(ordering: .acquiring), candidate.makeNonBlocking(), candidate.socket >= 0,
              loop.register(fd: candidate.socket, events: csys_EPOLLIN, handler: self) else {
            candidate.close()
            if !closed.load(ordering: .acquiring) { reconnect() }
            return
        }
        connection = candidate
        fd = candidate.socket
        watchingWrites = false
        up.store(true, ordering: .releasing)
    }

    /// Ends the connection: the statement in flight fails with `error`, the waiting ones go to the readers; then
    /// reconnects unless closed.
    private func drop(failing error: StorageError) {
        up.store(false, ordering: .releasing)
        if let finished = result {
            PQclear(finished)
            result = nil
        }
        switch phase {
        case .idle: break
        case .preparing(_, _, let pending), .executing(_, let pending):
            pending.continuation.resume(returning: .failure(error))
        }
        phase = .idle
        while let pending = queue.popFirst() { pending.continuation.resume(returning: nil) }
        if let connection {
            loop.deregister(fd: fd)
            connection.close()
            self.connection = nil
            fd = -1
        }
        if !closed.load(ordering: .acquiring) { reconnect() }
    }

    /// Opens a new connection on a thread of its own (connecting blocks), with backoff, then adopts it here.
    private func reconnect() {
        guard !reconnecting else { return }
        reconnecting = true
        let target = self.target
        let thread = DedicatedThread(name: "pg-loop-connect") { [self] in
            var delay: UInt32 = 100_000
            while true {
                usleep(delay)
                // Closed meanwhile (the database was closed, perhaps dropped): no more attempts.
                if closed.load(ordering: .acquiring) { return }
                let candidate = PostgresConnection(url: target.url, settings: target.settings)
                if candidate.isConnected {
                    let box = UncheckedBox(candidate)
                    loop.execute { self.adopt(box.value) }
                    return
                }
                delay = min(delay * 2, 5_000_000)
            }
        }
        thread.detach()
    }
}

/// Hands a loop-confined value to the loop that will own it.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
