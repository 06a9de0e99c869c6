import CSystem
import Foundation
import Glibc
import Synchronization

/// The one raw HTTP client of the test targets: a TCP connection to `127.0.0.1` that sends exact bytes and
/// reads what comes back off the wire, for requests an HTTP client will not send (pipelines, a declared body
/// that never comes, a head trickled byte by byte, garbage) and for answers a test must see as bytes.
///
/// A wait for input blocks a thread of its own in `poll`, never a thread of the small cooperative pool the
/// parallel tests share, and never spins; every wait is bounded by a timeout that is a limit for a stuck
/// test, not a speed target.
/// Sendable so that a test can read it inside `waitUntil`; one task at a time is expected to use it.
public final class RawClient: Sendable {
    public let fd: Int32
    private let state = Mutex(State())

    private struct State {
        var received: [UInt8] = []
        var peerClosed = false
        var peerReset = false
    }

    /// Connects to `host:port`. `receiveBufferSize` (SO_RCVBUF, set before connecting) keeps the receive
    /// window small, so that a large answer the test does not read backs up into the server's send queue.
    public init(port: Int, host: String = "127.0.0.1", receiveBufferSize: Int? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed: errno \(errno)") }
        if let receiveBufferSize {
            _ = csys_set_int_option(fd, SOL_SOCKET, SO_RCVBUF, Int32(receiveBufferSize))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw TestFailure("connect to \(host):\(port) failed: errno \(code)")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    // MARK: what was read

    /// Every byte read so far (since the last `clearReceived`).
    public var received: [UInt8] { state.withLock { $0.received } }

    /// The peer closed (FIN) or reset the connection.
    public var peerClosed: Bool { state.withLock { $0.peerClosed } }

    /// The peer reset the connection (a read failed: ECONNRESET and the like) rather than closing it.
    public var peerReset: Bool { state.withLock { $0.peerReset } }

    /// `received` as text.
    public var receivedText: String { String(decoding: received, as: UTF8.self) }

    /// Forgets what was read (the connection's closed state stays).
    public func clearReceived() {
        state.withLock { $0.received.removeAll() }
    }

    /// The local port of the connection (to find it in `TCPSocketTable`).
    public var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: sending

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends all of `bytes` (blocking until the kernel took them).
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw TestFailure("send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Sends `bytes` one at a time, each in a segment of its own (TCP_NODELAY), and waits after each until the
    /// server's kernel has acknowledged it: the server has the byte before the next one is sent. Stops early
    /// when the server answers or closes first (the caller's assertions then see what it said).
    public func sendOneByteAtATime(_ bytes: [UInt8], timeout: Duration = .seconds(30)) async throws {
        _ = csys_set_int_option(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        for byte in bytes {
            if hasInput { return }
            try send([byte])
            try await waitUntil(timeout: timeout) { self.unacknowledgedBytes == 0 || self.hasInput }
        }
    }

    /// Something to read, or the peer closed: a read would not block.
    public var hasInput: Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, 0) > 0
    }

    /// Sends `bytes` and then `filler` forever, one byte about every `interval`, reading whatever comes back,
    /// until the peer closes (true) or `timeout` passes (false): a head that never ends, trickled so that an
    /// idle timer would never fire. It runs on a thread of its own, so a starved cooperative pool cannot slow
    /// the trickle or miss the close; each pause is a `poll` for input, which ends early when the server answers.
    public func trickleUntilClosed(_ bytes: [UInt8], filler: UInt8, interval: Duration, timeout: Duration) async -> Bool {
        let fd = fd
        let (seconds, attoseconds) = interval.components
        let pause = Int32(clamping: max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        let deadline = ContinuousClock.now + timeout
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                var next = bytes[...]
                var buffer = [UInt8](repeating: 0, count: 65536)
                while ContinuousClock.now < deadline {
                    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    if poll(&pfd, 1, pause) > 0 {
                        if receive(into: &buffer) { return continuation.resume(returning: true) }
                        continue
                    }
                    var byte = next.popFirst() ?? filler
                    _ = Glibc.send(fd, &byte, 1, Int32(MSG_NOSIGNAL))
                }
                continuation.resume(returning: false)
            }
        }
    }

    /// Bytes sent but not yet acknowledged by the peer (SIOCOUTQ).
    public var unacknowledgedBytes: Int {
        var pending: Int32 = 0
        guard ioctl(fd, UInt(TIOCOUTQ), &pending) == 0 else { return -1 }
        return Int(pending)
    }

    /// Half-closes: the server sees end of input (FIN); reading goes on.
    public func closeWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    // MARK: reading

    /// Reads once, waiting at most `timeout`: false on timeout. A FIN or a reset marks the peer closed.
    @discardableResult
    public func readOnce(timeout: Duration) async -> Bool {
        guard await Self.waitForInput(fd, timeout: timeout) else { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        receive(into: &buffer)
        return true
    }

    /// One `recv` into `buffer`, its bytes kept; true when the peer closed: 0 = FIN, and a failed read (other
    /// than an interruption) is a reset, which is also a close.
    @discardableResult
    private func receive(into buffer: inout [UInt8]) -> Bool {
        let n = recv(fd, &buffer, buffer.count, 0)
        let failed = n < 0 && errno != EINTR && errno != EAGAIN
        return state.withLock { state in
            if n > 0 {
                state.received.append(contentsOf: buffer[0..<n])
            } else if n == 0 || failed {
                state.peerClosed = true
                state.peerReset = state.peerReset || failed
            }
            return state.peerClosed
        }
    }

    /// Waits until `fd` has input (or a hang-up, or an error) for at most `timeout`: at once when it has,
    /// otherwise in a blocking `poll` on a thread of its own.
    private static func waitForInput(_ fd: Int32, timeout: Duration) async -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&pfd, 1, 0) > 0 { return true }
        guard timeout > .zero else { return false }
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                var rc: Int32
                repeat { rc = poll(&pfd, 1, milliseconds) } while rc < 0 && errno == EINTR
                continuation.resume(returning: rc > 0)
            }
        }
    }

    /// Reads until `count` complete responses are available (or the peer closes, or `timeout` passes); the
    /// complete responses read so far, since the last `clearReceived`.
    public func responses(_ count: Int, timeout: Duration = .seconds(10), headRequest: Bool = false) async -> [RawResponse] {
        await read(timeout: timeout) { RawResponse.parseAll($0.received, peerClosed: $0.peerClosed, headRequest: headRequest).count >= count }
        let (received, peerClosed) = state.withLock { ($0.received, $0.peerClosed) }
        return RawResponse.parseAll(received, peerClosed: peerClosed, headRequest: headRequest)
    }

    /// Reads until a complete response head (status line and fields) has arrived; it as text, or nil when
    /// the peer closed or `timeout` passed first.
    public func head(timeout: Duration = .seconds(10)) async -> String? {
        let separator = Array("\r\n\r\n".utf8)
        await read(timeout: timeout) { RawResponse.find($0.received, separator, from: 0) != nil }
        let received = self.received
        guard let end = RawResponse.find(received, separator, from: 0) else { return nil }
        return String(decoding: received[..<(end + separator.count)], as: UTF8.self)
    }

    /// Waits up to `timeout` for the peer to close. True if it closed.
    public func waitForClose(timeout: Duration = .seconds(10)) async -> Bool {
        await read(timeout: timeout) { _ in false }
        return peerClosed
    }

    /// Reads until `done` holds for what was read, or the peer closes, or `timeout` passes. Input that is
    /// already waiting when the deadline passes is still read: a test task that got no CPU for a while on a
    /// busy machine must not miss an answer that did come in time.
    private func read(timeout: Duration, until done: (State) -> Bool) async {
        let deadline = ContinuousClock.now + timeout
        while true {
            if state.withLock({ $0.peerClosed || done($0) }) { return }
            let remaining = deadline - ContinuousClock.now
            let gotInput = await readOnce(timeout: max(.zero, remaining))
            if !gotInput && remaining <= .zero { return }
        }
    }

    /// Everything the peer sends until it closes the connection (or `timeout` passes), as text: the whole
    /// answer to a request the server refuses and then closes on.
    public func textUntilClosed(timeout: Duration = .seconds(10)) async -> String {
        _ = await waitForClose(timeout: timeout)
        return receivedText
    }

    /// One request, one response.
    public func exchange(_ text: String, timeout: Duration = .seconds(10)) async throws -> RawResponse {
        try send(text)
        guard let response = await responses(1, timeout: timeout).first else {
            throw TestFailure("no response (closed: \(peerClosed), got \(received.count) bytes)")
        }
        return response
    }
}

/// A response as read off the wire.
public struct RawResponse: Sendable {
    public var version: String
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var chunked: Bool

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    /// Parses every complete response in `bytes`. A body without framing runs to the end when the peer closed.
    public static func parseAll(_ bytes: [UInt8], peerClosed: Bool, headRequest: Bool = false) -> [RawResponse] {
        var out: [RawResponse] = []
        var index = 0
        while let (response, next) = parseOne(bytes, from: index, peerClosed: peerClosed, headRequest: headRequest) {
            out.append(response)
            index = next
        }
        return out
    }

    private static func parseOne(_ bytes: [UInt8], from start: Int, peerClosed: Bool, headRequest: Bool) -> (RawResponse, Int)? {
        guard let headEnd = find(bytes, [13, 10, 13, 10], from: start) else { return nil }
        let head = String(decoding: bytes[start..<headEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = RawResponse(version: String(statusLine[0]), status: status, headers: headers, body: [], chunked: false)
        var index = headEnd + 4
        if status < 200 || status == 204 || status == 304 || headRequest {
            return (response, index)
        }
        if let length = response.header("content-length").flatMap(Int.init) {
            guard bytes.count - index >= length else { return nil }
            response.body = Array(bytes[index..<index + length])
            return (response, index + length)
        }
        if response.header("transfer-encoding")?.lowercased() == "chunked" {
            response.chunked = true
            while true {
                guard let lineEnd = find(bytes, [13, 10], from: index) else { return nil }
                let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText, radix: 16) else { return nil }
                index = lineEnd + 2
                if size == 0 {
                    guard let trailerEnd = find(bytes, [13, 10], from: index) else { return nil }
                    return (response, trailerEnd + 2)
                }
                guard bytes.count >= index + size + 2 else { return nil }
                response.body.append(contentsOf: bytes[index..<index + size])
                index += size + 2
            }
        }
        guard peerClosed else { return nil }
        response.body = Array(bytes[index...])
        return (response, bytes.count)
    }

    static func find(_ bytes: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        guard bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
        for i in from...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if Array(bytes[i..<i + needle.count]) == needle { return i }
        }
        return nil
    }
}

/// A test precondition that failed (a socket that would not connect, a response that never came).
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
