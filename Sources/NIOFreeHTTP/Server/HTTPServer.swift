import CSystem
import Glibc
import Synchronization

/// An HTTP/1.1 server (plain or TLS) on an event loop group: one `SO_REUSEPORT` listener per loop,
/// connections served on the loop that accepted them.
public final class HTTPServer: Sendable {
    /// The limits and TLS context a connection is accepted with. A reload makes a new generation; open
    /// connections keep the one they were accepted with (a TLS session keeps its `SSL_CTX` alive).
    final class Generation: Sendable {
        let configuration: Configuration
        let tlsContext: TLSContext?

        init(configuration: Configuration, tlsContext: TLSContext?) {
            self.configuration = configuration
            self.tlsContext = tlsContext
        }
    }

    /// State every loop reads: the start-up configuration (address, backlog), responder, the current
    /// generation, connection limits.
    final class Shared: Sendable {
        let configuration: Configuration
        let responder: any HTTPResponder
        let limiter: ConnectionLimiter
        /// The whole 503 sent to a connection over a cap, rendered once by the responder.
        let refusal: [UInt8]
        private let generation: Mutex<Generation>

        init(configuration: Configuration, responder: any HTTPResponder, tlsContext: TLSContext?) {
            self.configuration = configuration
            self.responder = responder
            refusal = Shared.refusal(responder)
            generation = Mutex(Generation(configuration: configuration, tlsContext: tlsContext))
            limiter = ConnectionLimiter(maxTotal: configuration.maxConnections, maxPerIP: configuration.maxConnectionsPerIP)
        }

        private static func refusal(_ responder: any HTTPResponder) -> [UInt8] {
            let response = responder.problemResponse(HTTPServerProblem(status: 503, detail: "too many connections", headers: ["retry-after": "1"]))
            guard case .bytes(let body) = response.body else { return [] }
            var bytes: [UInt8] = []
            HTTPResponseEncoder.encodeHead(status: response.status, headers: response.headers, framing: .contentLength(body.count),
                                           keepAlive: false, requestVersion: .http1_1, into: &bytes)
            return bytes + body
        }

        /// What a newly accepted connection uses (read once, at accept time).
        var current: Generation {
            generation.withLock { $0 }
        }

        func replace(_ next: Generation) {
            generation.withLock { $0 = next }
            limiter.setLimits(maxTotal: next.configuration.maxConnections, maxPerIP: next.configuration.maxConnectionsPerIP)
        }
    }

    /// Per-loop state, touched only on that loop's thread.
    final class LoopState: @unchecked Sendable {
        var connections: [ObjectIdentifier: HTTPServerConnection] = [:]
        /// The tasks that answer this loop's requests.
        let workers: RequestWorkers
        var listener: HTTPListener?
        var draining = false
        var tickID: Int?

        init(loop: EventLoop) {
            workers = RequestWorkers(loop: loop)
        }

        func remove(_ connection: HTTPServerConnection) {
            connections[ObjectIdentifier(connection)] = nil
        }
    }

    private let shared: Shared
    private let group: EventLoopGroup
    private let loopStates: [LoopState]
    private let boundAddress = Mutex<SocketAddress?>(nil)

    /// Creates the server; `start()` binds and begins accepting. A TLS configuration that cannot be loaded throws here.
    public init(configuration: Configuration, group: EventLoopGroup, responder: any HTTPResponder) throws(TLSError) {
        var context: TLSContext?
        if let tls = configuration.tls {
            context = try TLSContext.makeServer(tls)
        }
        shared = Shared(configuration: configuration, responder: responder, tlsContext: context)
        self.group = group
        loopStates = group.loops.map { LoopState(loop: $0) }
    }

    /// Per loop: how many request workers were started, and how many wait for a request now (read on the
    /// loops' threads; tests).
    func workerCounts() async -> [(started: Int, idle: Int)] {
        var counts: [(started: Int, idle: Int)] = []
        for (i, loop) in group.loops.enumerated() {
            let workers = loopStates[i].workers
            counts.append(await withCheckedContinuation { continuation in
                loop.execute { continuation.resume(returning: (workers.started, workers.idleCount)) }
            })
        }
        return counts
    }

    /// The address the server listens on (with the real port when configured with port 0), once started.
    public var localAddress: SocketAddress? {
        boundAddress.withLock { $0 }
    }

    /// Open connections over all loops.
    public var openConnections: Int {
        shared.limiter.openConnections
    }

    /// Swaps the TLS certificate and key (and the rest of the `TLSConfiguration`) for connections
    /// accepted from now on; open connections keep their sessions. The new files are loaded and
    /// checked before anything changes, so a bad certificate throws and the old one stays in use.
    /// A server started without TLS cannot turn it on here (that takes a restart).
    public func reloadTLS(_ configuration: TLSConfiguration) throws(TLSError) {
        guard shared.current.tlsContext != nil else {
            throw TLSError(message: "this listener was started without TLS; enabling it needs a restart")
        }
        let context = try TLSContext.makeServer(configuration)
        let current = shared.current
        var next = current.configuration
        next.tls = configuration
        shared.replace(Generation(configuration: next, tlsContext: context))
    }

    /// Applies new limits and timeouts (body, header, connection limits, timeouts, pipelining) to
    /// connections accepted from now on. `host`, `port`, `backlog` and `tls` are ignored here: the
    /// address needs a restart, the certificate goes through ``reloadTLS(_:)``.
    public func reloadLimits(_ configuration: Configuration) {
        let current = shared.current
        var next = configuration
        next.host = current.configuration.host
        next.port = current.configuration.port
        next.backlog = current.configuration.backlog
        next.tls = current.configuration.tls
        shared.replace(Generation(configuration: next, tlsContext: current.tlsContext))
    }

    /// The limits and TLS settings new connections get (after any reload).
    public var currentConfiguration: Configuration {
        shared.current.configuration
    }

    /// Binds one listener per loop and starts accepting.
    public func start() throws(SocketError) {
        let configuration = shared.configuration
        var address = SocketAddress(host: configuration.host, port: configuration.port)
        var fds: [Int32] = []
        do {
            for _ in group.loops {
                let fd = try Socket.listen(on: address, backlog: configuration.backlog)
                fds.append(fd)
                if address.port == 0, let bound = Socket.localAddress(fd) {
                    address.port = bound.port
                }
            }
        } catch {
            for fd in fds { close(fd) }
            throw error
        }
        boundAddress.withLock { $0 = address }
        for (i, loop) in group.loops.enumerated() {
            let state = loopStates[i]
            let fd = fds[i]
            let shared = self.shared
            loop.execute {
                let listener = HTTPListener(fd: fd, loop: loop, shared: shared, state: state)
                state.listener = listener
                _ = loop.register(fd: fd, events: csys_EPOLLIN, handler: listener)
                let tick = min(250_000_000, shared.configuration.headerTimeout.nanoseconds / 4)
                loop.tickInterval = max(min(loop.tickInterval, tick), 10_000_000)
                state.tickID = loop.addTickHandler { now in
                    for connection in Array(state.connections.values) { connection.checkTimeouts(now: now) }
                }
            }
        }
    }

    /// Graceful shutdown: stop accepting, close idle connections, let in-flight requests finish
    /// (their responses carry `connection: close`) until `gracePeriod`, then close whatever is left.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        beginShutdown()
        await finishShutdown(gracePeriod: gracePeriod)
    }

    /// The first half of `shutdown`, callable from synchronous code (a signal handler's thread, a test):
    /// stops accepting and closes idle connections; in-flight responses get `connection: close`.
    public func beginShutdown() {
        for (i, loop) in group.loops.enumerated() {
            let state = loopStates[i]
            loop.execute {
                state.draining = true
                state.listener?.close()
                state.listener = nil
                for connection in Array(state.connections.values) { connection.beginDrain() }
            }
        }
    }

    /// The second half of `shutdown`: waits for open connections to finish, up to `gracePeriod`,
    /// then closes the rest.
    public func finishShutdown(gracePeriod: Duration) async {
        let deadline = EventLoop.monotonicNanoseconds() &+ gracePeriod.nanoseconds
        while shared.limiter.openConnections > 0, EventLoop.monotonicNanoseconds() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await withTaskGroup(of: Void.self) { tasks in
            for (i, loop) in group.loops.enumerated() {
                let state = loopStates[i]
                tasks.addTask {
                    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                        loop.execute {
                            for connection in Array(state.connections.values) { connection.closeNow() }
                            if let id = state.tickID { loop.removeTickHandler(id) }
                            state.workers.stop()
                            done.resume()
                        }
                    }
                }
            }
        }
    }
}

/// Accepts connections on one loop's listening socket.
final class HTTPListener: EventLoopHandler {
    private var fd: Int32
    private let loop: EventLoop
    private let shared: HTTPServer.Shared
    private let state: HTTPServer.LoopState

    init(fd: Int32, loop: EventLoop, shared: HTTPServer.Shared, state: HTTPServer.LoopState) {
        self.fd = fd
        self.loop = loop
        self.shared = shared
        self.state = state
    }

    func close() {
        guard fd >= 0 else { return }
        loop.deregister(fd: fd)
        Glibc.close(fd)
        fd = -1
    }

    func handleEvents(_ events: UInt32) {
        // Level-triggered: accept a bounded batch, the rest on the next wake-up.
        for _ in 0..<64 {
            guard fd >= 0 else { return }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { csys_accept4(fd, $0, &length) }
            }
            if client < 0 { return }  // EAGAIN, or EMFILE/ENFILE: try again on the next event
            let peer = SocketAddress(&storage) ?? SocketAddress(host: "unknown", port: 0)
            switch shared.limiter.acquire(ip: peer.host) {
            case .accepted:
                break
            case .globalLimit, .perIPLimit:
                refuse(client)
                continue
            }
            Socket.setNoDelay(client)
            let connection = HTTPServerConnection(
                fd: client, peer: peer, loop: loop, shared: shared, generation: shared.current, loopState: state
            )
            state.connections[ObjectIdentifier(connection)] = connection
            // Registered once, edge-triggered, for both directions.
            let events = csys_EPOLLIN | csys_EPOLLOUT | csys_EPOLLRDHUP | csys_EPOLLET
            if !loop.register(fd: client, events: events, handler: connection) {
                connection.closeNow()
            }
        }
    }


    /// Over a connection cap: a best-effort 503 (plain listeners only), then close.
    private func refuse(_ client: Int32) {
        if shared.current.tlsContext == nil {
            // Consume what already arrived so close() does not turn into a reset that hides the 503.
            var scratch = [UInt8](repeating: 0, count: 4096)
            _ = recv(client, &scratch, scratch.count, Int32(MSG_DONTWAIT))
            _ = shared.refusal.withUnsafeBytes { csys_send_nosignal(client, $0.baseAddress, $0.count) }
            shutdown(client, Int32(SHUT_WR))
        }
        Glibc.close(client)
    }
}
