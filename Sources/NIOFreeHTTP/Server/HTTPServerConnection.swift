import CSystem
import Glibc

/// One accepted connection: reads, parses, runs the responder for each request in order, writes responses.
///
/// Confined to its event loop's thread: every method runs there (request tasks are started with
/// `Task.immediate` and prefer the loop as their executor, so they resume there too).
final class HTTPServerConnection: EventLoopHandler, HTTPBodySink, @unchecked Sendable {
    private enum Phase { case detectingTLS, handshaking, open, lingering, closed }

    private struct PendingRequest {
        var head: HTTPRequestHead
        var body: [UInt8]
        var headCompletedAt: UInt64
    }

    let fd: Int32
    let peer: SocketAddress
    private let loop: EventLoop
    private let shared: HTTPServer.Shared
    /// Limits and TLS context as they were when this connection was accepted (reloads apply to new ones).
    private let generation: HTTPServer.Generation
    private let loopState: HTTPServer.LoopState
    private var tls: TLSSession?
    private var tlsInfo: TLSInfo?
    private var phase: Phase

    private var parser: HTTPRequestParser
    private var currentHead: HTTPRequestHead?
    private var currentBody: [UInt8] = []
    private var queue: [PendingRequest] = []
    private var queueStart = 0
    private var inFlight = false
    private var driving = false
    private var readPaused = false
    private var peerClosedInput = false
    private var peerHungUp = false

    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var closeAfterFlush = false
    private var streamWaiter: CheckedContinuation<Void, any Error>?

    private let acceptedAt: UInt64
    private var headStartedAt: UInt64?
    private var bodyStartedAt: UInt64 = 0
    private var idleSince: UInt64
    private var lastWriteProgress: UInt64
    private var lingerDeadline: UInt64 = 0
    private var servedRequests = 0

    init(fd: Int32, peer: SocketAddress, loop: EventLoop, shared: HTTPServer.Shared, generation: HTTPServer.Generation,
         loopState: HTTPServer.LoopState) {
        self.fd = fd
        self.peer = peer
        self.loop = loop
        self.shared = shared
        self.generation = generation
        self.loopState = loopState
        parser = HTTPRequestParser(limits: generation.configuration.parserLimits)
        phase = generation.tlsContext == nil ? .open : .detectingTLS
        acceptedAt = loop.now
        headStartedAt = loop.now
        idleSince = loop.now
        lastWriteProgress = loop.now
    }

    var isIdle: Bool {
        phase == .open && !inFlight && queueStart == queue.count && parser.state == .idle && outboundOffset == outbound.count
    }

    // MARK: events

    func handleEvents(_ events: UInt32) {
        if events & csys_EPOLLERR != 0 {
            closeNow()
            return
        }
        if events & csys_EPOLLOUT != 0 {
            switch phase {
            case .handshaking: continueHandshake()
            case .open, .lingering: if outboundOffset < outbound.count { flush() }
            default: break
            }
        }
        if events & (csys_EPOLLIN | csys_EPOLLRDHUP | csys_EPOLLHUP) != 0 {
            if events & (csys_EPOLLRDHUP | csys_EPOLLHUP) != 0 { peerHungUp = true }
            readable()
        }
    }

    private func readable() {
        switch phase {
        case .detectingTLS: detectTLS()
        case .handshaking: continueHandshake()
        case .open: readRequests()
        case .lingering: drainWhileLingering()
        case .closed: break
        }
    }

    // MARK: TLS

    private func detectTLS() {
        var first: UInt8 = 0
        let n = recv(fd, &first, 1, Int32(MSG_PEEK))
        if n == 0 { return closeNow() }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            return closeNow()
        }
        guard TLSSession.looksLikeTLS(firstByte: first), let context = generation.tlsContext else {
            // Plain HTTP on the TLS port: a clear answer in plain text, then close.
            let body = "This port speaks HTTPS only.\n"
            let text = "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)"
            outbound.append(contentsOf: text.utf8)
            phase = .open
            closeAfterFlush = true
            flush()
            return
        }
        do {
            tls = try context.makeServerSession(fd: fd)
        } catch {
            return closeNow()
        }
        phase = .handshaking
        continueHandshake()
    }

    private func continueHandshake() {
        guard let tls else { return closeNow() }
        switch tls.handshake() {
        case .done:
            tlsInfo = TLSInfo(protocolVersion: tls.protocolVersion, cipher: tls.cipher, alpn: tls.negotiatedALPN)
            phase = .open
            readRequests()
        case .wantRead, .wantWrite:
            return
        case .closed, .failed:
            closeNow()
        }
    }

    // MARK: reading

    private enum ReadResult { case bytes(Int), wouldBlock, eof, failed }

    private func readOnce(_ buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        if let tls {
            switch tls.read(into: buffer) {
            case .done(let n): return n > 0 ? .bytes(n) : .wouldBlock
            case .wantRead, .wantWrite: return .wouldBlock
            case .closed: return .eof
            case .failed: return .failed
            }
        }
        let n = recv(fd, buffer.baseAddress, buffer.count, 0)
        if n > 0 { return .bytes(n) }
        if n == 0 { return .eof }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return .wouldBlock }
        return .failed
    }

    private func readRequests() {
        let buffer = loop.readBuffer
        reading: while phase == .open && !readPaused && !closeAfterFlush {
            switch readOnce(buffer) {
            case .bytes(let n):
                let error = parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) { event in
                    self.onParserEvent(event)
                }
                if let error {
                    failRequest(status: error.status, detail: error.reason)
                    break reading
                }
                if parser.state == .head, headStartedAt == nil { headStartedAt = loop.now }
                drive()
                // Edge-triggered: read until the socket is drained. A short plain read means it is;
                // TLS reads return one record at a time, so TLS reads on until it wants more input.
                // …unless the peer hung up too: then read on to see the EOF no later event will announce.
                if tls == nil && n < buffer.count && !peerHungUp { break reading }
            case .wouldBlock:
                break reading
            case .eof:
                peerClosedInput = true
                // RFC 9112 §9.6: an incomplete request is discarded; owed responses are still sent.
                if inFlight || queueStart < queue.count {
                    closeAfterFlush = true
                    break reading
                }
                flush()
                return closeNow()
            case .failed:
                return closeNow()
            }
        }
        flush()
    }

    private func onParserEvent(_ event: HTTPParserEvent) -> Bool {
        switch event {
        case .head(let head):
            headStartedAt = nil
            bodyStartedAt = loop.now
            currentHead = head
            currentBody = []
            if let length = head.contentLength, length > 0 { currentBody.reserveCapacity(length) }
            if head.expectsContinue, !inFlight, queueStart == queue.count {
                // RFC 9110 §10.1.1: tell the client to send the body (we only get here when its size is acceptable).
                outbound.append(contentsOf: HTTPServerConnection.continueResponse)
            }
            return true
        case .body(let bytes):
            currentBody.append(contentsOf: bytes)
            return true
        case .end:
            guard let head = currentHead else { return true }
            queue.append(PendingRequest(head: head, body: currentBody, headCompletedAt: bodyStartedAt))
            currentHead = nil
            currentBody = []
            idleSince = loop.now
            if queue.count - queueStart >= generation.configuration.maxPipelineDepth || !head.keepAlive {
                readPaused = true
                return false
            }
            return true
        }
    }

    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    // MARK: dispatch

    private func drive() {
        guard !driving else { return }
        driving = true
        defer { driving = false }
        while !inFlight, queueStart < queue.count, phase == .open, !closeAfterFlush {
            let request = queue[queueStart]
            queueStart += 1
            if queueStart == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueStart = 0
            }
            inFlight = true
            start(request)
        }
        if pendingError != nil {
            if !inFlight && queueStart == queue.count && !closeAfterFlush && phase == .open { writePendingError() }
            return
        }
        if readPaused, !inFlight, queueStart == queue.count, !closeAfterFlush, phase == .open {
            readPaused = false
            let error = parser.resume { event in self.onParserEvent(event) }
            if let error {
                failRequest(status: error.status, detail: error.reason)
                return
            }
            if queueStart < queue.count {
                driving = false
                drive()
                driving = true
            }
            if !readPaused {
                // Bytes may be waiting in the socket that no new edge will announce.
                loop.executeLocal { [self] in if phase == .open { readRequests() } }
            }
        }
    }

    private func start(_ pending: PendingRequest) {
        servedRequests += 1
        let head = pending.head
        var request = HTTPRequest(
            method: head.method, path: head.path, query: head.query, version: head.version,
            headers: head.headers, body: pending.body, peer: peer, tls: tlsInfo
        )
        request.pathParameters = PathParameters()
        let context = RequestContext(eventLoop: loop, startedAt: pending.headCompletedAt)
        let responder = shared.responder
        let keepAlive = head.keepAlive && !loopState.draining
        let isHead = head.method == "HEAD"
        let version = head.version
        Task.immediate(executorPreference: loop) {
            let response: HTTPResponse
            do {
                response = try await responder.respond(to: request, context: context)
            } catch {
                response = responder.problemResponse(HTTPServerProblem(status: 500))
            }
            if case .stream = response.body {
                await self.send(response, keepAlive: keepAlive, isHead: isHead, version: version)
            } else {
                self.sendComplete(response, keepAlive: keepAlive, isHead: isHead, version: version)
            }
        }
    }

    /// Writes a response whose body is already complete (no suspension).
    private func sendComplete(_ response: HTTPResponse, keepAlive: Bool, isHead: Bool, version: HTTPVersion) {
        guard phase == .open else { return finishRequest() }
        let keepAlive = keepAlive && !loopState.draining && !peerClosedInput
        let status = response.status
        switch response.body {
        case .abortConnection:
            _ = csys_set_linger_zero(fd)
            closeNow()
            return finishRequest()
        case .bytes(let body):
            var headers = response.headers
            headers.add("date", loop.httpDate)
            // RFC 9110 §6.4.1: 1xx, 204 and 304 have no content.
            let bodyless = status < 200 || status == 204 || status == 304
            let framing: HTTPResponseEncoder.Framing = bodyless ? .none : .contentLength(body.count)
            HTTPResponseEncoder.encodeHead(status: status, headers: headers, framing: framing, keepAlive: keepAlive, requestVersion: version, into: &outbound)
            if !isHead && !bodyless { outbound.append(contentsOf: body) }
            if !keepAlive { closeAfterFlush = true }
            finishRequest()
        case .stream:
            preconditionFailure("streams go through send(_:keepAlive:isHead:version:)")
        }
    }

    private func send(_ response: HTTPResponse, keepAlive: Bool, isHead: Bool, version: HTTPVersion) async {
        guard phase == .open else { return finishRequest() }
        var headers = response.headers
        headers.replaceOrAdd("date", loop.httpDate)
        let status = response.status
        let keepAlive = keepAlive && !loopState.draining && !peerClosedInput
        // RFC 9110 §6.4.1: 1xx, 204 and 304 have no content.
        let bodyless = status < 200 || status == 204 || status == 304
        switch response.body {
        case .abortConnection:
            _ = csys_set_linger_zero(fd)
            closeNow()
            return finishRequest()
        case .bytes(let body):
            let framing: HTTPResponseEncoder.Framing = bodyless ? .none : .contentLength(body.count)
            HTTPResponseEncoder.encodeHead(status: status, headers: headers, framing: framing, keepAlive: keepAlive, requestVersion: version, into: &outbound)
            if !isHead && !bodyless { outbound.append(contentsOf: body) }
            if !keepAlive { closeAfterFlush = true }
            finishRequest()
        case .stream(let produce):
            if isHead || bodyless {
                HTTPResponseEncoder.encodeHead(status: status, headers: headers, framing: bodyless ? .none : .chunked, keepAlive: keepAlive, requestVersion: version, into: &outbound)
                if !keepAlive { closeAfterFlush = true }
                return finishRequest()
            }
            // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
            let chunked = version != .http1_0
            HTTPResponseEncoder.encodeHead(status: status, headers: headers, framing: chunked ? .chunked : .none, keepAlive: keepAlive && chunked, requestVersion: version, into: &outbound)
            streamChunked = chunked
            flush()
            do {
                try await produce(HTTPBodyWriter(sink: self))
                guard phase == .open else { return finishRequest() }
                if chunked { HTTPResponseEncoder.encodeLastChunk(into: &outbound) }
                if !keepAlive || !chunked { closeAfterFlush = true }
                finishRequest()
            } catch {
                // A failed stream cannot be reported in-band: end the connection without the last chunk.
                closeAfterFlush = true
                finishRequest()
            }
        }
    }

    private var streamChunked = true

    private func finishRequest() {
        inFlight = false
        idleSince = loop.now
        if closeAfterFlush {
            queue.removeAll()
            queueStart = 0
        }
        guard phase == .open else { return }
        if !driving {
            drive()
            flush()
        }
    }

    func writeChunk(_ bytes: [UInt8]) async throws {
        guard phase == .open else { throw HTTPBodyWriterError.connectionClosed }
        if streamChunked {
            bytes.withUnsafeBytes { HTTPResponseEncoder.encodeChunk($0, into: &outbound) }
        } else {
            outbound.append(contentsOf: bytes)
        }
        flush()
        if outbound.count - outboundOffset > 256 * 1024 {
            try await withCheckedThrowingContinuation { continuation in
                streamWaiter = continuation
            }
        }
        guard phase == .open else { throw HTTPBodyWriterError.connectionClosed }
    }

    // MARK: errors

    /// Answers a request the parser rejected (or that timed out) and closes after the answer is sent.
    /// Requests parsed before the bad one are answered first (RFC 9112 §9.3.2: responses in request order).
    private func failRequest(status: Int, detail: String) {
        guard phase == .open, pendingError == nil else { return }
        pendingError = (status, detail)
        readPaused = true
        if !driving {
            drive()
            flush()
        }
    }

    private var pendingError: (status: Int, detail: String)?

    private func writePendingError() {
        guard let (status, detail) = pendingError else { return }
        pendingError = nil
        let response = shared.responder.problemResponse(HTTPServerProblem(status: status, detail: detail))
        var headers = response.headers
        headers.replaceOrAdd("date", loop.httpDate)
        if case .bytes(let body) = response.body {
            HTTPResponseEncoder.encodeHead(status: status, headers: headers, framing: .contentLength(body.count), keepAlive: false, requestVersion: .http1_1, into: &outbound)
            outbound.append(contentsOf: body)
        }
        closeAfterFlush = true
    }

    // MARK: writing

    private func flush() {
        while outboundOffset < outbound.count {
            let result: Int = outbound.withUnsafeBytes { raw in
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
                let code = errno
                return (code == EAGAIN || code == EWOULDBLOCK || code == EINTR) ? 0 : -1
            }
            if result < 0 { return closeNow() }
            if result == 0 { return }  // wait for EPOLLOUT
            outboundOffset += result
            lastWriteProgress = loop.now
        }
        if outbound.capacity > 64 * 1024 {
            outbound = []
        } else {
            outbound.removeAll(keepingCapacity: true)
        }
        outboundOffset = 0
        if let waiter = streamWaiter {
            streamWaiter = nil
            waiter.resume()
        }
        if closeAfterFlush && !inFlight && phase == .open {
            beginLingeringClose()
        }
    }

    // MARK: closing

    /// Half-closes and keeps reading (discarding) for a short while so the peer receives our last response
    /// instead of a reset caused by unread input.
    private func beginLingeringClose() {
        phase = .lingering
        if let tls { tls.shutdown() }
        shutdown(fd, Int32(SHUT_WR))
        lingerDeadline = loop.now &+ generation.configuration.lingerTimeout.nanoseconds
        if peerClosedInput { return closeNow() }
        drainWhileLingering()
    }

    private func drainWhileLingering() {
        let buffer = loop.readBuffer
        var total = 0
        while total < 256 * 1024 {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n > 0 {
                total += n
                continue
            }
            if n == 0 { return closeNow() }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            return closeNow()
        }
        closeNow()
    }

    func closeNow() {
        guard phase != .closed else { return }
        phase = .closed
        loop.deregister(fd: fd)
        if tls != nil { tls = nil }
        Glibc.close(fd)
        shared.limiter.release(ip: peer.host)
        loopState.remove(self)
        if let waiter = streamWaiter {
            streamWaiter = nil
            waiter.resume(throwing: HTTPBodyWriterError.connectionClosed)
        }
    }

    // MARK: timeouts

    /// Called by the loop's periodic sweep.
    func checkTimeouts(now: UInt64) {
        let configuration = generation.configuration
        switch phase {
        case .closed:
            return
        case .lingering:
            if now > lingerDeadline { closeNow() }
            return
        case .detectingTLS, .handshaking:
            if now &- acceptedAt > configuration.headerTimeout.nanoseconds { closeNow() }
            return
        case .open:
            break
        }
        if outboundOffset < outbound.count, now &- lastWriteProgress > configuration.writeTimeout.nanoseconds {
            return closeNow()
        }
        if inFlight || queueStart < queue.count || closeAfterFlush { return }
        switch parser.state {
        case .idle:
            if let started = headStartedAt, servedRequests == 0 {
                if now &- started > configuration.headerTimeout.nanoseconds { closeNow() }
            } else if now &- idleSince > configuration.keepAliveTimeout.nanoseconds {
                closeNow()
            }
        case .head:
            if let started = headStartedAt, now &- started > configuration.headerTimeout.nanoseconds {
                failRequest(status: 408, detail: "request header not received in time")
            }
        case .body:
            let elapsed = now &- bodyStartedAt
            let grace = configuration.bodyGracePeriod.nanoseconds
            if elapsed > grace {
                let rate = UInt64(max(configuration.minBodyBytesPerSecond, 1))
                let allowed = grace &+ UInt64(currentBody.count) &* 1_000_000_000 / rate
                if elapsed > allowed { failRequest(status: 408, detail: "request body too slow") }
            }
        case .failed:
            closeNow()
        }
    }

    /// Used by graceful shutdown: idle connections close now; busy ones get `connection: close` on their
    /// current response (the loop is draining) and close after it.
    func beginDrain() {
        if isIdle { closeNow() }
    }
}
