import Synchronization

/// An HTTP/1.1 client on the server's event loops: a keep-alive pool per origin on each loop, so a handler
/// running on loop N talks upstream over loop N's connections with no thread hop.
public final class HTTPClient: Sendable {
    /// Limits and timeouts of the client. Defaults are in the property docs.
    public struct Configuration: Sendable {
        /// Connections per origin per event loop (open, opening or idle). Default 64.
        public var maxConnectionsPerOrigin: Int = 64
        /// Requests waiting for a connection per origin per loop; beyond it → `poolExhausted`. Default 1,024.
        public var maxWaiters: Int = 1_024
        /// A connection is closed after this many requests (then replaced). Default 10,000.
        public var maxRequestsPerConnection: Int = 10_000
        /// An idle pooled connection is closed after this long. Default 60 s.
        public var idleTimeout: Duration = .seconds(60)
        /// Time allowed for TCP connect + TLS handshake. Default 3 s.
        public var connectTimeout: Duration = .seconds(3)
        /// Deadline of a request when `execute` gets none: from submission to the complete response. Default 10 s.
        public var requestTimeout: Duration = .seconds(10)
        /// Bodies larger than this fail with `responseTooLarge`. Default 8 MiB.
        public var maxResponseBytes: Int = 8 * 1024 * 1024
        /// TLS for https origins: trust roots (system store or a CA file), ALPN, ciphers.
        public var tls: TLSConfiguration = .client()

        public init() {}
    }

    let configuration: Configuration
    let group: EventLoopGroup
    let tlsContext: TLSContext
    private let loopStates: [ClientLoopState]
    let counters = ClientCounters()
    private let isShutdown = Atomic<Bool>(false)

    /// Creates a client; fails if the TLS trust roots cannot be loaded.
    public init(group: EventLoopGroup, configuration: Configuration = Configuration()) throws(TLSError) {
        self.group = group
        self.configuration = configuration
        tlsContext = try TLSContext.makeClient(configuration.tls)
        loopStates = group.loops.map { ClientLoopState(loop: $0) }
    }

    /// TCP connections opened so far (for tests and metrics).
    public var connectionsOpened: Int { counters.connectionsOpened.load(ordering: .relaxed) }
    /// Requests written to the wire so far (a retry counts again).
    public var requestsSent: Int { counters.requestsSent.load(ordering: .relaxed) }

    /// Sends `request` and waits for the complete response, at most `timeout` (default `requestTimeout`).
    /// Redirects are returned as they are, never followed.
    public func execute(_ request: HTTPClientRequest, timeout: Duration? = nil) async throws(HTTPClientError) -> HTTPClientResponse {
        try await submit(request, timeout: timeout)
    }

    /// Sends `request` and returns as soon as the response head arrives, with the body as an
    /// `HTTPClientBodyStream` read chunk by chunk (docs/ARCHITECTURE.md, "The client"). The connection stops
    /// reading from the socket while more than `bufferBytes` wait unread (back-pressure, never an unbounded
    /// buffer); the whole body may be at most `maxBodyBytes`; `timeout` bounds the whole exchange, body included.
    /// Read the body to its end (or `cancel()` it): until then the connection is not reused.
    public func stream(
        _ request: HTTPClientRequest, timeout: Duration? = nil, bufferBytes: Int = 256 * 1024, maxBodyBytes: Int = 256 * 1024 * 1024
    ) async throws(HTTPClientError) -> HTTPClientStreamingResponse {
        let body = HTTPClientBodyStream(bufferBytes: bufferBytes)
        let head = try await submit(request, timeout: timeout, stream: body, maxBodyBytes: maxBodyBytes)
        return HTTPClientStreamingResponse(status: head.status, headers: head.headers, body: body)
    }

    /// Serializes `request`, hands it to the pool of this loop (or the next one, from outside the loops) and waits
    /// for the response; for a streamed request (`stream`), only for its head.
    private func submit(
        _ request: HTTPClientRequest, timeout: Duration?, stream: HTTPClientBodyStream? = nil, maxBodyBytes: Int? = nil
    ) async throws(HTTPClientError) -> HTTPClientResponse {
        guard !isShutdown.load(ordering: .relaxed) else { throw .shutdown }
        guard let (origin, target) = request.resolved ?? HTTPOrigin.parse(request.url) else { throw .invalidURL }
        let wire = HTTPClient.serialize(request, origin: origin, target: target)
        let loop = group.loops.first { $0.inEventLoop } ?? group.next()
        let state = loopStates[loop.index]
        let deadline = EventLoop.monotonicNanoseconds() &+ (timeout ?? configuration.requestTimeout).nanoseconds
        // Unsafe (no checking canary per request): `PendingClientRequest.finish` resumes once and forgets it.
        let result = await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) in
            let pending = PendingClientRequest(
                wire: wire, isHead: request.method == "HEAD", isIdempotent: request.isIdempotent,
                deadline: deadline, continuation: continuation, stream: stream, maxBodyBytes: maxBodyBytes
            )
            if loop.inEventLoop {
                state.pool(for: origin, client: self).submit(pending)
            } else {
                loop.execute { state.pool(for: origin, client: self).submit(pending) }
            }
        }
        return try result.get()
    }

    /// Closes every connection and fails waiting requests with `.shutdown`. Waits for the loops to do it.
    public func shutdown() async {
        isShutdown.store(true, ordering: .relaxed)
        for state in loopStates {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                state.loop.execute {
                    state.closeAll()
                    done.resume()
                }
            }
        }
    }

    static func serialize(_ request: HTTPClientRequest, origin: HTTPOrigin, target: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + (request.body?.count ?? 0))
        appendUTF8(request.method, to: &out)
        out.append(0x20)
        appendUTF8(target, to: &out)
        HTTPFieldLine.appendLiteral(" HTTP/1.1\r\nhost: ", to: &out)
        appendUTF8(origin.hostHeader, to: &out)
        HTTPFieldLine.appendLiteral("\r\n", to: &out)
        // `host` and the framing fields are this serializer's own.
        for field in request.headers {
            HTTPFieldLine.append(field, unlessOwn: { name in
                (name.count == 4 && HTTPByteClass.equalsIgnoringCase(name, "host")) || HTTPFieldLine.isFraming(name)
            }, to: &out)
        }
        if let body = request.body {
            out.append(contentsOf: "content-length: \(body.count)\r\n\r\n".utf8)
            out.append(contentsOf: body)
        } else {
            switch request.method {
            case "POST", "PUT", "PATCH": HTTPFieldLine.appendLiteral("content-length: 0\r\n\r\n", to: &out)
            default: HTTPFieldLine.appendLiteral("\r\n", to: &out)
            }
        }
        return out
    }

    @inline(__always) private static func appendUTF8(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }
}

/// Counters shared by every loop of a client.
final class ClientCounters: Sendable {
    let connectionsOpened = Atomic<Int>(0)
    let requestsSent = Atomic<Int>(0)
}

/// One loop's pools, touched only on that loop.
final class ClientLoopState: @unchecked Sendable {
    let loop: EventLoop
    private var pools: [HTTPOrigin: HTTPClientPool] = [:]
    private var tickID: Int?

    init(loop: EventLoop) {
        self.loop = loop
    }

    func pool(for origin: HTTPOrigin, client: HTTPClient) -> HTTPClientPool {
        if let pool = pools[origin] { return pool }
        let pool = HTTPClientPool(origin: origin, loop: loop, client: client)
        pools[origin] = pool
        if tickID == nil {
            tickID = loop.addTickHandler { [unowned self] now in
                for pool in pools.values { pool.sweep(now: now) }
            }
        }
        return pool
    }

    func closeAll() {
        for pool in pools.values { pool.closeAll() }
        pools.removeAll()
        if let tickID { loop.removeTickHandler(tickID) }
        tickID = nil
    }
}

/// A request between `execute` and its result; lives on one loop.
/// Loop-confined after submission; `@unchecked Sendable` only to cross into its loop once.
final class PendingClientRequest: @unchecked Sendable {
    let wire: [UInt8]
    let isHead: Bool
    let isIdempotent: Bool
    let deadline: UInt64
    private var continuation: UnsafeContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>?
    var timer: TimerID?
    var attempts = 0
    /// The connection carrying it, while one does.
    weak var connection: HTTPClientConnection?
    /// A streamed response's body (`HTTPClient.stream`): the head is handed over first, the body after.
    let stream: HTTPClientBodyStream?
    /// The largest body accepted (the client's `maxResponseBytes` unless streamed).
    let maxBodyBytes: Int?
    /// A streamed response's head went to the caller; its body is still running.
    private(set) var headDelivered = false
    private var streamEnded = false

    init(wire: [UInt8], isHead: Bool, isIdempotent: Bool, deadline: UInt64,
         continuation: UnsafeContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>,
         stream: HTTPClientBodyStream? = nil, maxBodyBytes: Int? = nil) {
        self.wire = wire
        self.isHead = isHead
        self.isIdempotent = isIdempotent
        self.deadline = deadline
        self.continuation = continuation
        self.stream = stream
        self.maxBodyBytes = maxBodyBytes
    }

    /// Nothing more will happen: answered (a streamed body to its end) or failed.
    var isFinished: Bool { continuation == nil && (stream == nil || !headDelivered || streamEnded) }

    /// Ends the request: the response or failure to the caller — or, once a streamed head was handed over, the
    /// end (or failure) of its body stream.
    func finish(_ result: Result<HTTPClientResponse, HTTPClientError>, loop: EventLoop) {
        if let continuation {
            self.continuation = nil
            end(loop: loop)
            continuation.resume(returning: result)
            return
        }
        guard let stream, headDelivered, !streamEnded else { return }
        end(loop: loop)
        switch result {
        case .success: stream.finish()
        case .failure(let error): stream.fail(error)
        }
    }

    /// Hands a streamed response's head to the caller; the deadline keeps running for the body.
    func deliverHead(_ head: HTTPClientResponse) {
        guard let continuation else { return }
        self.continuation = nil
        headDelivered = true
        continuation.resume(returning: .success(head))
    }

    private func end(loop: EventLoop) {
        streamEnded = true
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        connection = nil
    }
}
