import Foundation
import Glibc

/// Sends raw request bytes over a fresh TCP connection and returns the response head (status line and
/// headers) as text, for requests an HTTP client will not send (a declared body that never comes).
enum RawHTTPExchange {
    static func head(port: Int, request: String, timeout: Duration = .seconds(5)) async throws -> String {
        try await exchange(port: port, request: request, timeout: timeout, untilClosed: false)
    }

    /// The whole answer to a request the server refuses and then closes the connection on: head and body.
    static func untilClosed(port: Int, request: String, timeout: Duration = .seconds(5)) async throws -> String {
        try await exchange(port: port, request: request, timeout: timeout, untilClosed: true)
    }

    private static func exchange(port: Int, request: String, timeout: Duration, untilClosed: Bool) async throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw HarnessError("connect failed: errno \(errno)") }
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw HarnessError("send failed: errno \(errno)")
        }
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 0) > 0 else {
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 16384)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
            if !untilClosed, received.contains(bytes: Array("\r\n\r\n".utf8)) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
