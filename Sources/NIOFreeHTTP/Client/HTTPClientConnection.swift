import CSystem
import Glibc

/// One client connection (plain or TLS), confined to its pool's loop.
final class HTTPClientConnection: EventLoopHandler, DeferredFlush {
    private enum Phase { case resolving, connecting, handshaking, idle, active, closed }

    private unowned let pool: HTTPClientPool
    private var fd: Int32 = -1
    private var phase = Phase.resolving
    private var tls: TLSSession?
    private var current: PendingClientRequest?
    private var parser: HTTPResponseParser?
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var requestsSent = 0
    private(set) var idleSince: UInt64 = 0
    private var connectTimer: TimerID?

    init(pool: HTTPClientPool) {
        self.pool = pool
    }

    private var loop: EventLoop { pool.loop }

    var isConnecting: Bool { phase == .resolving || phase == .connecting || phase == .handshaking }

    /// Idle, open, and not over its request budget.
    var isUsable: Bool {
        phase == .idle && requestsSent < pool.client.configuration.maxRequestsPerConnection
    }

    // MARK: connect

    func connect(then request: PendingClientRequest) {
        current = request
        let connectDeadline = loop.now &+ pool.client.configuration.connectTimeout.nanoseconds
        connectTimer = loop.schedule(at: connectDeadline) { [weak self] in
            guard let self, self.isConnecting, let request = self.current else { return }
            self.abort(request, with: .connectTimeout)
        }
        HostResolver.resolve(pool.origin.host, on: loop) { [weak self] result in
            guard let self, self.phase == .resolving else { return }
            switch result {
            case .success(let address): self.startConnect(to: SocketAddress(host: address, port: self.pool.origin.port))
            case .failure(let error): self.fail(.connectFailed(error.message))
            }
        }
    }

    private func startConnect(to address: SocketAddress) {
        fd = socket(address.family, csys_SOCK_STREAM | csys_SOCK_NONBLOCK_CLOEXEC, 0)
        guard fd >= 0 else { return fail(.connectFailed("socket: errno \(errno)")) }
        pool.client.counters.connectionsOpened.wrappingAdd(1, ordering: .relaxed)
        Socket.setNoDelay(fd)
        phase = .connecting
        let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) } ?? -1
        if rc != 0 && errno != EINPROGRESS {
            return fail(.connectFailed(String(cString: strerror(errno))))
        }
        let events = csys_EPOLLIN | csys_EPOLLOUT | csys_EPOLLRDHUP | csys_EPOLLET
        guard loop.register(fd: fd, events: events, handler: self) else {
            return fail(.connectFailed("epoll registration failed"))
        }
        if rc == 0 { connected() }
    }

    private func connected() {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { return fail(.connectFailed(String(cString: strerror(error)))) }
        if pool.origin.secure {
            do {
                tls = try pool.client.tlsContext.makeClientSession(fd: fd, serverName: pool.origin.host)
            } catch {
                return fail(.tlsFailure(error.message))
            }
            phase = .handshaking
            continueHandshake()
        } else {
            ready()
        }
    }

    private func continueHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done: ready()
        case .wantRead, .wantWrite: return
        case .closed: fail(.tlsFailure("connection closed during handshake"))
        case .failed(let reason): fail(.tlsFailure(reason))
        }
    }

    private func ready() {
        if let connectTimer { loop.cancelTimer(connectTimer) }
        connectTimer = nil
        phase = .idle
        if let request = current {
            current = nil
            send(request)
        } else {
            becomeIdle()
        }
    }

    // MARK: requests

    func send(_ request: PendingClientRequest) {
        guard !request.isFinished else { return becomeIdle() }
        phase = .active
        current = request
        request.connection = self
        request.attempts += 1
        requestsSent += 1
        pool.client.counters.requestsSent.wrappingAdd(1, ordering: .relaxed)
        parser = HTTPResponseParser(maxBodyBytes: request.maxBodyBytes ?? pool.client.configuration.maxResponseBytes, isHeadRequest: request.isHead)
        paused = false
        outbound = request.wire
        outboundOffset = 0
        if tls == nil {
            // Written at the end of the loop's iteration with the other requests started in it (one wake-up
            // of the upstream server for all). The answer cannot be there before, and its arrival is a new
            // edge (EPOLLIN), so no read is tried now.
            loop.flushAtEndOfIteration(self)
        } else {
            // TLS may hold buffered records that no edge announces: write and read now.
            flush()
            if phase == .active { readResponse() }
        }
    }

    func flushDeferred() {
        guard phase == .active, outboundOffset < outbound.count else { return }
        flush()
    }

    func handleEvents(_ events: UInt32) {
        switch phase {
        case .connecting:
            if events & (csys_EPOLLOUT | csys_EPOLLERR | csys_EPOLLHUP) != 0 { connected() }
        case .handshaking:
            continueHandshake()
        case .idle:
            // An idle connection has nothing to read: data or EOF means the server closed or misbehaved.
            if events & (csys_EPOLLIN | csys_EPOLLRDHUP | csys_EPOLLHUP | csys_EPOLLERR) != 0 { close() }
        case .active:
            if events & csys_EPOLLOUT != 0, outboundOffset < outbound.count { flush() }
            if events & (csys_EPOLLRDHUP | csys_EPOLLHUP) != 0 { peerHungUp = true }
            if phase == .active, !paused, events & (csys_EPOLLIN | csys_EPOLLRDHUP | csys_EPOLLHUP | csys_EPOLLERR) != 0 { readResponse() }
        case .resolving, .closed:
            break
        }
    }

    private func flush() {
        while outboundOffset < outbound.count {
            let written: Int = outbound.withUnsafeBytes { raw in
                let pending = UnsafeRawBufferPointer(rebasing: raw[outboundOffset...])
                if let tls {
                    switch tls.write(pending) {
                    case .done(let n): return n
                    case .wantRead, .wantWrite: return 0
                    case .closed, .failed: return -1
                    }
                }
                let n = csys_send_nosignal(fd, pending.baseAddress, pending.count)
                if n >= 0 { return n }
                return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1
            }
            if written < 0 { return connectionLost() }
            if written == 0 { return }
            outboundOffset += written
        }
    }

    private func readResponse() {
        let buffer = loop.readBuffer
        while phase == .active, !paused, var parser {
            var n = 0
            var eof = false
            if let tls {
                switch tls.read(into: buffer) {
                case .done(let count): n = count
                case .wantRead, .wantWrite: return
                case .closed: eof = true
                case .failed: return connectionLost()
                }
            } else {
                n = recv(fd, buffer.baseAddress, buffer.count, 0)
                if n == 0 { eof = true }
                if n < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
                    return connectionLost()
                }
            }
            if eof {
                do {
                    try parser.finishAtEOF()
                } catch {
                    self.parser = parser
                    return connectionLost()
                }
                self.parser = parser
                handOnStreamed()
                return complete(closeAfter: true)
            }
            let done: Bool
            do {
                done = try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            } catch {
                self.parser = nil
                // RFC 9110 §15.5.14 — the parser's 413 is the client's own body limit.
                return fail(error.status == 413 ? .responseTooLarge : .invalidResponse(error.reason))
            }
            self.parser = parser
            handOnStreamed()
            if done { return complete(closeAfter: parser.closeRequested) }
            // A short read drained the socket, unless the peer also hung up: then read on to see the EOF
            // (edge-triggered: no further event will announce it).
            if tls == nil && n < buffer.count && !peerHungUp { return }
        }
    }

    private var peerHungUp = false
    /// A streamed body's consumer is behind: the socket is not read until it catches up (`resumeReading`).
    private var paused = false

    /// For a streamed request: hands the head over once it is parsed, then each body chunk as it comes.
    private func handOnStreamed() {
        guard let request = current, let stream = request.stream, var parser else { return }
        if !request.headDelivered {
            guard parser.hasFinalHead else { return }
            let connection = LoopConfinedConnection(self)
            stream.connect(
                resume: { [loop] in loop.execute { connection.value?.resumeReading(request) } },
                cancel: { [loop] in loop.execute { connection.value?.cancelStream(request) } }
            )
            request.deliverHead(HTTPClientResponse(status: parser.status, headers: parser.headers, body: []))
        }
        let bytes = parser.takeBody()
        self.parser = parser
        if !bytes.isEmpty, stream.push(bytes), !parser.isComplete { paused = true }
    }

    /// The consumer caught up: read on (edge-triggered: whatever arrived meanwhile is read now).
    private func resumeReading(_ request: PendingClientRequest) {
        guard current === request, phase == .active, paused else { return }
        paused = false
        readResponse()
    }

    /// The consumer stopped reading a streamed body: the connection cannot be reused mid-body.
    private func cancelStream(_ request: PendingClientRequest) {
        guard current === request else { return }
        abort(request, with: .connectionClosed)
    }

    private func complete(closeAfter: Bool) {
        guard let request = current, let parser else { return }
        current = nil
        self.parser = nil
        // A streamed request's head and body were handed on already (`handOnStreamed`).
        let response = HTTPClientResponse(status: parser.status, headers: parser.headers, body: request.stream == nil ? parser.body : [])
        if closeAfter {
            close()
        } else {
            becomeIdle()
        }
        request.finish(.success(response), loop: loop)
    }

    private func becomeIdle() {
        phase = .idle
        idleSince = loop.now
        pool.connectionIdle(self)
    }

    /// The connection died mid-request. A reused connection that produced no response byte may have been
    /// closed by the server while idle: an idempotent request gets one more try on a fresh connection.
    private func connectionLost() {
        guard let request = current else { return close() }
        let nothingReceived = !(parser?.receivedAnyByte ?? false)
        let reused = requestsSent > 1
        current = nil
        close()
        if nothingReceived && reused && request.isIdempotent && request.attempts < 2 && !request.isFinished {
            pool.submit(request)
        } else {
            request.finish(.failure(.connectionClosed), loop: loop)
        }
    }

    private func fail(_ error: HTTPClientError) {
        let request = current
        current = nil
        close()
        request?.finish(.failure(error), loop: loop)
    }

    /// Ends `request` with `error` (deadline passed) and drops the connection: its state is unknown.
    func abort(_ request: PendingClientRequest, with error: HTTPClientError) {
        if current === request { current = nil }
        close()
        request.finish(.failure(error), loop: loop)
    }

    func close() {
        guard phase != .closed else { return }
        let wasCounted = true
        phase = .closed
        if let connectTimer { loop.cancelTimer(connectTimer) }
        connectTimer = nil
        if fd >= 0 {
            loop.deregister(fd: fd)
            tls = nil
            Glibc.close(fd)
            fd = -1
        }
        if wasCounted { pool.connectionClosed(self) }
        if let request = current {
            current = nil
            request.finish(.failure(.connectionClosed), loop: loop)
        }
    }
}

/// A weak reference to a connection that other threads may hold but only its loop dereferences (the body
/// stream's resume and cancel hops go through `loop.execute`).
private final class LoopConfinedConnection: @unchecked Sendable {
    weak var value: HTTPClientConnection?
    init(_ value: HTTPClientConnection) { self.value = value }
}
