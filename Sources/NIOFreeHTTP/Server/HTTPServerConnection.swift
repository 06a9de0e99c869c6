import CSystem
import Glibc

/// One accepted connection: the I/O half. It reads, feeds the parser, and performs what its
/// `HTTPServerConnectionMachine` decides (start a request, write an error, resume parsing, linger, close);
/// every protocol decision is the machine's.
///
/// Confined to its event loop's thread: every method runs there (requests are answered by the loop's
/// `RequestWorkers`, tasks that prefer the loop as their executor, so they resume there too).
final class HTTPServerConnection: EventLoopHandler, DeferredFlush, HTTPBodySink, @unchecked Sendable {
    /// A parsed request waiting for the responder.
    struct PendingRequest {
        var head: HTTPRequestHead
        var body: [UInt8]
        var headCompletedAt: UInt64
    }

    typealias Machine = HTTPServerConnectionMachine<PendingRequest>

    let fd: Int32
    let peer: SocketAddress
    private let loop: EventLoop
    private let shared: HTTPServer.Shared
    /// Limits and TLS context as they were when this connection was accepted (reloads apply to new ones).
    private let generation: HTTPServer.Generation
    private let loopState: HTTPServer.LoopState
    private var tls: TLSSession?
    private var machine: Machine
    /// Inside `drive`: events that arrive now (a response completed synchronously) are picked up by its loop.
    private var driving = false

    /// The parser while a request is on its way; nil between requests (`isPristine`), so that an idle
    /// keep-alive connection holds no parser (docs/ARCHITECTURE.md, "Memory per connection").
    private var parserBox: ParserBox?
    /// The request whose head was parsed and whose body is arriving.
    private var inbound: Inbound?
    private var peerHungUp = false

    private final class ParserBox {
        var parser: HTTPRequestParser
        init(limits: HTTPParserLimits) { parser = HTTPRequestParser(limits: limits) }
    }

    private final class Inbound {
        let head: HTTPRequestHead
        var body: [UInt8] = []
        let startedAt: UInt64
        init(head: HTTPRequestHead, startedAt: UInt64) {
            self.head = head
            self.startedAt = startedAt
        }
    }

    private var parserState: HTTPRequestParser.State { parserBox?.parser.state ?? .idle }

    private func activeParser() -> ParserBox {
        if let parserBox { return parserBox }
        let box = ParserBox(limits: generation.configuration.parserLimits)
        parserBox = box
        return box
    }

    /// Drops the parser when it holds nothing (between requests).
    private func releaseParserIfPristine() {
        if let box = parserBox, box.parser.isPristine { parserBox = nil }
    }

    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var lastWriteProgress: UInt64
    private var streamWaiter: CheckedContinuation<Void, any Error>?
    private var streamChunked = true

    init(fd: Int32, peer: SocketAddress, loop: EventLoop, shared: HTTPServer.Shared, generation: HTTPServer.Generation,
         loopState: HTTPServer.LoopState) {
        self.fd = fd
        self.peer = peer
        self.loop = loop
        self.shared = shared
        self.generation = generation
        self.loopState = loopState
        machine = Machine(
            limits: Machine.Limits(generation.configuration), acceptedAt: loop.now, tls: generation.tlsContext != nil
        )
        lastWriteProgress = loop.now
    }

    var isIdle: Bool {
        machine.isIdle && parserState == .idle && outboundOffset == outbound.count
    }

    // MARK: events

    func handleEvents(_ events: UInt32) {
        if events & csys_EPOLLERR != 0 {
            closeNow()
            return
        }
        if events & csys_EPOLLOUT != 0 {
            switch machine.state {
            case .handshaking: if tls != nil { continueHandshake() }
            case .reading, .closing, .finishing, .lingering: if outboundOffset < outbound.count { flush() }
            case .closed: break
            }
        }
        if events & (csys_EPOLLIN | csys_EPOLLRDHUP | csys_EPOLLHUP) != 0 {
            if events & (csys_EPOLLRDHUP | csys_EPOLLHUP) != 0 { peerHungUp = true }
            readable()
        }
    }

    private func readable() {
        switch machine.state {
        // Without a session yet, the first byte decides between TLS and a plain-HTTP refusal.
        case .handshaking: tls == nil ? detectTLS() : continueHandshake()
        case .reading, .closing, .finishing: readRequests()
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
            _ = machine.nextAction(.refused)
            flush()
            return
        }
        do {
            tls = try context.makeServerSession(fd: fd)
        } catch {
            return closeNow()
        }
        continueHandshake()
    }

    private func continueHandshake() {
        guard let tls else { return closeNow() }
        switch tls.handshake() {
        case .done:
            tls.info = TLSInfo(protocolVersion: tls.protocolVersion, cipher: tls.cipher, alpn: tls.negotiatedALPN)
            _ = machine.nextAction(.handshakeDone)
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
        reading: while machine.wantsInput {
            switch readOnce(buffer) {
            case .bytes(let n):
                let box = activeParser()
                let error = box.parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) { event in
                    self.onParserEvent(event)
                }
                afterParsing(error)
                // Edge-triggered: read until the socket is drained. A short plain read means it is;
                // TLS reads return one record at a time, so TLS reads on until it wants more input.
                // …unless the peer hung up too: then read on to see the EOF no later event will announce.
                if tls == nil && n < buffer.count && !peerHungUp { break reading }
            case .wouldBlock:
                break reading
            case .eof:
                if case .close = machine.nextAction(.peerClosed) {
                    flush()
                    return closeNow()
                }
                break reading
            case .failed:
                return closeNow()
            }
        }
        flushSoon()
    }

    /// After the parser ran over new or buffered bytes: report its failure or a head just begun, then drive.
    private func afterParsing(_ error: HTTPParseError?) {
        if let error {
            _ = machine.nextAction(.parseFailed(error))
        } else if parserState == .head {
            _ = machine.nextAction(.headStarted(now: loop.now))
        }
        drive()
        releaseParserIfPristine()
    }

    private func onParserEvent(_ event: HTTPParserEvent) -> Bool {
        switch event {
        case .head(let head):
            let started = Inbound(head: head, startedAt: loop.now)
            if let length = head.contentLength, length > 0 { started.body.reserveCapacity(length) }
            inbound = started
            if case .writeContinue = machine.nextAction(.headParsed(expectsContinue: head.expectsContinue, now: started.startedAt)) {
                outbound.append(contentsOf: HTTPServerConnection.continueResponse)
            }
            return true
        case .body(let bytes):
            inbound?.body.append(contentsOf: bytes)
            return true
        case .end:
            guard let finished = inbound else { return true }
            inbound = nil
            let request = PendingRequest(head: finished.head, body: finished.body, headCompletedAt: finished.startedAt)
            let action = machine.nextAction(.requestParsed(request, keepAlive: finished.head.keepAlive, now: loop.now))
            if case .pauseParsing = action { return false }
            return true
        }
    }

    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    // MARK: dispatch

    /// Performs the machine's actions until it waits. Re-entrant calls (a response completed synchronously
    /// inside `start`) return at once: this loop asks the machine again.
    private func drive() {
        guard !driving else { return }
        driving = true
        defer { driving = false }
        while true {
            switch machine.nextAction(.proceed) {
            case .start(let request):
                start(request)
            case .resumeParsing:
                let error = activeParser().parser.resume { event in self.onParserEvent(event) }
                if let error {
                    _ = machine.nextAction(.parseFailed(error))
                } else if parserState == .head {
                    _ = machine.nextAction(.headStarted(now: loop.now))
                }
                if machine.wantsInput {
                    // Bytes may be waiting in the socket that no new edge will announce.
                    loop.executeLocal { [self] in if machine.wantsInput { readRequests() } }
                }
            case .writeError(let error):
                writeError(error)
            case .close:
                return closeNow()
            case .wait, .continueParsing, .pauseParsing, .writeContinue, .lingerClose:
                return
            }
        }
    }

    /// What writing a response needs to know of its request: all plain values, so a worker's copy of its work
    /// retains nothing for it.
    struct ReplyShape: Sendable {
        var keepAlive: Bool
        var isHead: Bool
        var version: HTTPVersion

        init(_ head: HTTPRequestHead) {
            keepAlive = head.keepAlive
            isHead = head.method == "HEAD"
            version = head.version
        }
    }

    private func start(_ pending: consuming PendingRequest) {
        let reply = ReplyShape(pending.head)
        let context = RequestContext(eventLoop: loop, startedAt: pending.headCompletedAt)
        // The head's fields move into the request (the pending request is consumed, not copied).
        let request = HTTPRequest(
            method: pending.head.method, path: pending.head.path, query: pending.head.query, version: pending.head.version,
            headers: pending.head.headers, body: pending.body, peer: peer, tls: tls?.info
        )
        // A route answered without waiting (`HTTPResponder.respondImmediately`): written now, no worker involved.
        if let response = shared.responder.respondImmediately(to: request, context: context) {
            if case .stream = response.body {
                Task.immediate(executorPreference: loop) { [self] in await send(response, as: reply) }
            } else {
                write(response, as: reply)
            }
            return
        }
        loopState.workers.run(RequestWorkers.Work(connection: self, request: request, context: context, reply: reply))
    }

    /// Answers one request (on a worker task of this loop): the responder's response, or a 500 for an error
    /// it did not turn into one, written to the connection.
    func answer(_ work: RequestWorkers.Work) async {
        let responder = shared.responder
        let response: HTTPResponse
        do {
            response = try await responder.respond(to: work.request, context: work.context)
        } catch {
            response = responder.problemResponse(HTTPServerProblem(status: 500))
        }
        await send(response, as: work.reply)
    }

    /// Writes the response to `head`: complete bodies without suspending (`write`), streams chunk by chunk
    /// (HTTP/1.0: until close). Then tells the machine, which decides whether the connection stays open.
    private func send(_ response: HTTPResponse, as head: ReplyShape) async {
        guard case .stream(let produce) = response.body else { return write(response, as: head) }
        guard machine.isOpen else { return finishRequest(keepAlive: false) }
        let keepAlive = machine.keepsAlive(requested: head.keepAlive, draining: loopState.draining)
        let status = response.status
        // RFC 9110 §6.4.1 — 1xx, 204 and 304 have no content; RFC 9110 §9.3.2 — nor has a response to HEAD.
        if head.isHead || Self.isBodyless(status) {
            HTTPResponseEncoder.encodeHead(status: status, headers: response.headers, date: loop.httpDate, framing: Self.isBodyless(status) ? .none : .chunked, keepAlive: keepAlive, requestVersion: head.version, into: &outbound)
            return finishRequest(keepAlive: keepAlive)
        }
        // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
        let chunked = head.version != .http1_0
        HTTPResponseEncoder.encodeHead(status: status, headers: response.headers, date: loop.httpDate, framing: chunked ? .chunked : .none, keepAlive: keepAlive && chunked, requestVersion: head.version, into: &outbound)
        streamChunked = chunked
        flush()
        do {
            try await produce(HTTPBodyWriter(sink: self))
            guard machine.isOpen else { return finishRequest(keepAlive: false) }
            if chunked { HTTPResponseEncoder.encodeLastChunk(into: &outbound) }
            finishRequest(keepAlive: keepAlive && chunked)
        } catch {
            // A failed stream cannot be reported in-band: end the connection without the last chunk.
            finishRequest(keepAlive: false)
        }
    }

    /// Writes a response whose body is complete (or that aborts the connection), without suspending.
    private func write(_ response: HTTPResponse, as head: ReplyShape) {
        guard machine.isOpen else { return finishRequest(keepAlive: false) }
        switch response.body {
        case .bytes(let body):
            let keepAlive = machine.keepsAlive(requested: head.keepAlive, draining: loopState.draining)
            let bodyless = Self.isBodyless(response.status)
            let framing: HTTPResponseEncoder.Framing = bodyless ? .none : .contentLength(body.count)
            outbound.reserveCapacity(outbound.count + 512 + body.count)
            // The response's fields as they are (a copy with `date` replaced would copy the whole list).
            HTTPResponseEncoder.encodeHead(status: response.status, headers: response.headers, date: loop.httpDate, framing: framing, keepAlive: keepAlive, requestVersion: head.version, into: &outbound)
            if !head.isHead && !bodyless { outbound.append(contentsOf: body) }
            finishRequest(keepAlive: keepAlive)
        case .abortConnection:
            _ = csys_set_linger_zero(fd)
            closeNow()
            finishRequest(keepAlive: false)
        case .stream:
            preconditionFailure("a stream is sent by send(_:as:)")
        }
    }

    /// RFC 9110 §6.4.1: 1xx, 204 and 304 have no content.
    private static func isBodyless(_ status: Int) -> Bool {
        status < 200 || status == 204 || status == 304
    }

    private func finishRequest(keepAlive: Bool) {
        _ = machine.nextAction(.responseWritten(keepAlive: keepAlive, now: loop.now))
        guard machine.isOpen, !driving else { return }
        drive()
        keepAlive ? flushSoon() : flush()
    }

    func writeChunk(_ bytes: [UInt8]) async throws {
        guard machine.isOpen else { throw HTTPBodyWriterError.connectionClosed }
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
        guard machine.isOpen else { throw HTTPBodyWriterError.connectionClosed }
    }

    // MARK: errors

    /// Answers a request the parser rejected (or that timed out); the machine closes after it is written.
    private func writeError(_ error: HTTPParseError) {
        let response = shared.responder.problemResponse(HTTPServerProblem(status: error.status, detail: error.reason))
        if case .bytes(let body) = response.body {
            HTTPResponseEncoder.encodeHead(
                status: error.status, headers: response.headers, date: loop.httpDate, framing: .contentLength(body.count),
                keepAlive: false, requestVersion: .http1_1, into: &outbound
            )
            outbound.append(contentsOf: body)
        }
    }

    // MARK: writing

    private var flushScheduled = false

    /// Writes at the end of the loop's iteration (`EventLoop.flushAtEndOfIteration`): the responses of every
    /// request this iteration finished go out together. Nothing to write: the bookkeeping of `flush` now.
    private func flushSoon() {
        guard outboundOffset < outbound.count else { return flush() }
        guard !flushScheduled else { return }
        flushScheduled = true
        // The write deadline counts from when the response was ready, not from the last write before it.
        lastWriteProgress = loop.now
        loop.flushAtEndOfIteration(self)
    }

    func flushDeferred() {
        flushScheduled = false
        guard !closed else { return }
        flush()
        // A graceful shutdown began while this answer waited: the connection is idle now.
        if !closed, loopState.draining { beginDrain() }
    }

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
        // Released, not kept: an idle keep-alive connection holds no output buffer.
        outbound = []
        outboundOffset = 0
        if let waiter = streamWaiter {
            streamWaiter = nil
            waiter.resume()
        }
        if case .lingerClose = machine.nextAction(.flushed(now: loop.now)) { beginLingeringClose() }
    }

    // MARK: closing

    /// Half-closes and keeps reading (discarding) for a short while so the peer receives our last response
    /// instead of a reset caused by unread input.
    private func beginLingeringClose() {
        if let tls { tls.shutdown() }
        shutdown(fd, Int32(SHUT_WR))
        if machine.peerClosedInput { return closeNow() }
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

    /// The descriptor was closed (the machine may have decided it first).
    private var closed = false

    func closeNow() {
        guard !closed else { return }
        closed = true
        _ = machine.nextAction(.closed)
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
        let writeIdleSince = outboundOffset < outbound.count ? lastWriteProgress : nil
        switch machine.nextAction(.tick(now: now, bodyBytes: inbound?.body.count ?? 0, writeIdleSince: writeIdleSince)) {
        case .close:
            closeNow()
        case .writeError(let error):
            writeError(error)
            flush()
        default:
            break
        }
    }

    /// Used by graceful shutdown: idle connections close now; busy ones get `connection: close` on their
    /// current response (the loop is draining) and close after it.
    func beginDrain() {
        if isIdle, case .close = machine.nextAction(.drain) { closeNow() }
    }
}
