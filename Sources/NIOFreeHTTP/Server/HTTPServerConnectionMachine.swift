/// The server side of one HTTP/1.1 connection as a state table (h11's `_state.py` is the model): what to do next,
/// given what happened. Pure: no sockets, no clock (times come in with the events), no parser (the connection
/// reports the parser's events). `HTTPServerConnection` performs the actions; tests drive this directly.
///
/// `Request` is what the connection queues per parsed request (the head and body); tests use any value.
struct HTTPServerConnectionMachine<Request> {
    /// Where the connection is.
    enum State: Equatable {
        /// Before HTTP: TLS detection and handshake (they share the header timeout, from `acceptedAt`).
        case handshaking
        /// Reading requests. `Input` is where the next request is; parsed requests wait in the queue and the
        /// first of them may be with the responder (`inFlight`).
        case reading(Input)
        /// No more requests are read (a parse error or timeout): the queued requests are answered, then `error`.
        case closing(error: HTTPParseError?)
        /// Everything owed is in the output buffer: once it is written, close (lingering).
        case finishing
        /// Our side is shut; input is discarded until EOF or `until`.
        case lingering(until: UInt64)
        /// Closed.
        case closed
    }

    /// Where the next request's bytes are, with the time its timer started.
    enum Input: Equatable {
        /// No byte of a next request. `fresh` until the first request: then the header timeout runs from
        /// `since` (the accept); later, the keep-alive timeout from the last response.
        case idle(since: UInt64, fresh: Bool)
        /// Part of a head arrived; the whole head must arrive within the header timeout.
        case head(since: UInt64)
        /// The head is complete; the body must keep the minimum rate after the grace period.
        case body(since: UInt64)
    }

    /// What happened.
    enum Event {
        /// The TLS handshake finished (the connection reads next).
        case handshakeDone
        /// A plain-HTTP peer on the TLS port got its refusal in the output buffer.
        case refused
        /// The parser left `.idle`: the first bytes of a head arrived.
        case headStarted(now: UInt64)
        /// The parser produced a head.
        case headParsed(expectsContinue: Bool, now: UInt64)
        /// The parser produced the end of a request.
        case requestParsed(Request, keepAlive: Bool, now: UInt64)
        /// The parser failed (the status to answer with, then close).
        case parseFailed(HTTPParseError)
        /// The response to the request in flight is in the output buffer (or was abandoned).
        case responseWritten(keepAlive: Bool, now: UInt64)
        /// The peer closed its side (EOF on read).
        case peerClosed
        /// The output buffer is empty.
        case flushed(now: UInt64)
        /// The server is shutting down.
        case drain
        /// The periodic sweep: `bodyBytes` of the current body have arrived; `writeIdleSince` is the last write
        /// progress while output is pending (nil when none is).
        case tick(now: UInt64, bodyBytes: Int, writeIdleSince: UInt64?)
        /// The previous action was performed: what next?
        case proceed
        /// The connection was closed (an I/O error, an aborted response).
        case closed
    }

    /// What to do.
    enum Action {
        /// Nothing until the next event.
        case wait
        /// Parser callbacks: keep parsing, or stop after this event (the rest stays buffered for `resumeParsing`).
        case continueParsing
        case pauseParsing
        /// RFC 9110 §10.1.1 — write "100 Continue", then keep parsing.
        case writeContinue
        /// Hand this request to the responder; `responseWritten` follows.
        case start(Request)
        /// Feed the parser's buffered bytes again, then read the socket.
        case resumeParsing
        /// Write this error response; close once it is written.
        case writeError(HTTPParseError)
        /// Shut our side and linger (discard input until EOF or the deadline) before closing.
        case lingerClose
        /// Close now.
        case close
    }

    /// Timeouts and limits, in nanoseconds where they are times.
    struct Limits: Equatable, Sendable {
        var maxPipelineDepth: Int
        var headerTimeout: UInt64
        var keepAliveTimeout: UInt64
        var bodyGracePeriod: UInt64
        var minBodyBytesPerSecond: Int
        var writeTimeout: UInt64
        var lingerTimeout: UInt64
    }

    private(set) var state: State
    let limits: Limits
    let acceptedAt: UInt64
    /// Requests parsed and not yet started, oldest first (`queue[queueStart...]`).
    private var queue: [Request] = []
    private var queueStart = 0
    /// A request is with the responder.
    private(set) var inFlight = false
    /// Reading stopped after a request: the pipeline is full, or the request ended keep-alive.
    private(set) var readPaused = false
    /// EOF was read: no response may keep the connection alive.
    private(set) var peerClosedInput = false

    init(limits: Limits, acceptedAt: UInt64, tls: Bool) {
        self.limits = limits
        self.acceptedAt = acceptedAt
        state = tls ? .handshaking : .reading(.idle(since: acceptedAt, fresh: true))
    }

    /// Requests parsed and not yet started.
    var queuedCount: Int { queue.count - queueStart }

    /// Whether the connection wants bytes from the socket.
    var wantsInput: Bool {
        if case .reading = state { return !readPaused }
        return false
    }

    /// Whether HTTP is being spoken: responses may be written.
    var isOpen: Bool {
        switch state {
        case .reading, .closing, .finishing: true
        case .handshaking, .lingering, .closed: false
        }
    }

    /// Nothing owed and no request begun (graceful shutdown may close it).
    var isIdle: Bool {
        guard case .reading(.idle) = state else { return false }
        return !inFlight && queuedCount == 0
    }

    /// Whether the response being written may keep the connection open.
    func keepsAlive(requested: Bool, draining: Bool) -> Bool {
        requested && !draining && !peerClosedInput
    }

    /// Applies `event`; returns what to do now. Parser events answer at once (keep parsing, pause, write
    /// "100 Continue"); the pipeline's work (start a request, resume parsing, write an error) comes only from
    /// `.proceed`, which the connection asks until `.wait`, so no step is lost to a re-entrant event.
    mutating func nextAction(_ event: Event) -> Action {
        switch event {
        case .handshakeDone:
            guard case .handshaking = state else { return .wait }
            state = .reading(.idle(since: acceptedAt, fresh: true))
            return .wait

        case .refused:
            state = .finishing
            return .wait

        case .headStarted(let now):
            // A new connection's header timeout runs from the accept, later ones from the first byte.
            if case .reading(.idle(let since, let fresh)) = state { state = .reading(.head(since: fresh ? since : now)) }
            return .wait

        case .headParsed(let expectsContinue, let now):
            if case .reading = state { state = .reading(.body(since: now)) }
            // RFC 9110 §10.1.1 — tell the client to send the body, unless earlier responses are still owed
            // (the parser only gets here when the declared size is acceptable).
            return expectsContinue && !inFlight && queuedCount == 0 ? .writeContinue : .continueParsing

        case .requestParsed(let request, let keepAlive, let now):
            guard case .reading = state else { return .pauseParsing }
            state = .reading(.idle(since: now, fresh: false))
            queue.append(request)
            // Bounded pipelining; nothing is read after a request that ends the connection (RFC 9112 §9.6).
            if queuedCount >= limits.maxPipelineDepth || !keepAlive {
                readPaused = true
                return .pauseParsing
            }
            return .continueParsing

        case .parseFailed(let error):
            // Requests parsed before the bad one are answered first (RFC 9112 §9.3.2: responses in request order).
            guard case .reading = state else { return .wait }
            state = .closing(error: error)
            return .wait

        case .responseWritten(let keepAlive, let now):
            inFlight = false
            if case .reading(.idle(_, let fresh)) = state { state = .reading(.idle(since: now, fresh: fresh)) }
            if !keepAlive, isOpen { closeAfterOwedResponses() }
            return .wait

        case .peerClosed:
            peerClosedInput = true
            guard isOpen else { return .wait }
            // RFC 9112 §9.6 — an incomplete request is discarded; the response in flight is still sent.
            if inFlight {
                closeAfterOwedResponses()
                return .wait
            }
            state = .closed
            return .close

        case .flushed(let now):
            guard case .finishing = state, !inFlight else { return .wait }
            state = .lingering(until: now &+ limits.lingerTimeout)
            return .lingerClose

        case .drain:
            guard isIdle else { return .wait }
            state = .closed
            return .close

        case .tick(let now, let bodyBytes, let writeIdleSince):
            return timeout(now: now, bodyBytes: bodyBytes, writeIdleSince: writeIdleSince)

        case .proceed:
            return next()

        case .closed:
            state = .closed
            clearQueue()
            return .wait
        }
    }

    /// The next step of the pipeline, from the state alone.
    private mutating func next() -> Action {
        switch state {
        case .reading:
            if !inFlight, let request = dequeue() { return start(request) }
            if readPaused, !inFlight {
                readPaused = false
                return .resumeParsing
            }
            return .wait
        case .closing(let error):
            if inFlight { return .wait }
            if let request = dequeue() { return start(request) }
            state = .finishing
            if let error { return .writeError(error) }
            return .wait
        case .handshaking, .finishing, .lingering, .closed:
            return .wait
        }
    }

    private mutating func start(_ request: Request) -> Action {
        inFlight = true
        return .start(request)
    }

    /// No more requests: the one in flight is the last; queued ones are dropped (their answers could not follow
    /// a response that closes the connection).
    private mutating func closeAfterOwedResponses() {
        clearQueue()
        state = inFlight ? .closing(error: nil) : .finishing
    }

    private mutating func dequeue() -> Request? {
        guard queueStart < queue.count else { return nil }
        let request = queue[queueStart]
        queueStart += 1
        if queueStart == queue.count { clearQueue() }
        return request
    }

    private mutating func clearQueue() {
        // Released, not kept: an idle keep-alive connection holds no queue storage.
        queue = []
        queueStart = 0
    }

    /// The sweep's verdict: which timer applies depends on the state.
    private mutating func timeout(now: UInt64, bodyBytes: Int, writeIdleSince: UInt64?) -> Action {
        switch state {
        case .closed:
            return .wait
        case .lingering(let until):
            if now > until { return close() }
            return .wait
        case .handshaking:
            return now &- acceptedAt > limits.headerTimeout ? close() : .wait
        case .reading, .closing, .finishing:
            break
        }
        if let since = writeIdleSince, now &- since > limits.writeTimeout { return close() }
        guard case .reading(let input) = state, !inFlight, queuedCount == 0, !readPaused else { return .wait }
        switch input {
        case .idle(let since, let fresh):
            if now &- since > (fresh ? limits.headerTimeout : limits.keepAliveTimeout) { return close() }
        case .head(let since):
            if now &- since > limits.headerTimeout {
                _ = nextAction(.parseFailed(HTTPParseError(status: 408, reason: "request header not received in time")))
                return next()
            }
        case .body(let since):
            let elapsed = now &- since
            let grace = limits.bodyGracePeriod
            if elapsed > grace {
                let rate = UInt64(max(limits.minBodyBytesPerSecond, 1))
                let allowed = grace &+ UInt64(bodyBytes) &* 1_000_000_000 / rate
                if elapsed > allowed {
                    _ = nextAction(.parseFailed(HTTPParseError(status: 408, reason: "request body too slow")))
                    return next()
                }
            }
        }
        return .wait
    }

    private mutating func close() -> Action {
        state = .closed
        clearQueue()
        return .close
    }
}

extension HTTPServerConnectionMachine.Action: Equatable where Request: Equatable {}
extension HTTPServerConnectionMachine.Action: Sendable where Request: Sendable {}
extension HTTPServerConnectionMachine.Event: Sendable where Request: Sendable {}
extension HTTPServerConnectionMachine.Limits {
    init(_ configuration: HTTPServer.Configuration) {
        self.init(
            maxPipelineDepth: configuration.maxPipelineDepth,
            headerTimeout: configuration.headerTimeout.nanoseconds,
            keepAliveTimeout: configuration.keepAliveTimeout.nanoseconds,
            bodyGracePeriod: configuration.bodyGracePeriod.nanoseconds,
            minBodyBytesPerSecond: configuration.minBodyBytesPerSecond,
            writeTimeout: configuration.writeTimeout.nanoseconds,
            lingerTimeout: configuration.lingerTimeout.nanoseconds
        )
    }
}
