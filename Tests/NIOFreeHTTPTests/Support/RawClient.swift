import Foundation
import Glibc

/// A blocking TCP client for tests: sends exact bytes and reads raw responses, so tests see what is on the wire.
final class RawClient {
    let fd: Int32
    private(set) var received: [UInt8] = []
    private(set) var peerClosed = false

    /// Connects to 127.0.0.1:`port`.
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw TestFailure("connect to \(port) failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    func resetReceived() { received.removeAll() }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw TestFailure("send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Reads once, waiting at most `timeout` seconds. Returns false on timeout.
    /// Waits by sleeping the task, not the thread: tests run in parallel on a small cooperative pool.
    @discardableResult
    func readOnce(timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&pfd, 1, 0) <= 0 {
            if Date() >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(2))
            pfd.revents = 0
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        if n > 0 {
            received.append(contentsOf: buffer[0..<n])
        } else {
            peerClosed = true  // 0 = FIN; <0 = reset, which is also a close
        }
        return true
    }

    /// Reads until `count` complete responses are available (or the peer closes, or `timeout` passes).
    func responses(_ count: Int, timeout: Double = 10, headRequest: Bool = false) async -> [RawResponse] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let parsed = RawResponse.parseAll(received, peerClosed: peerClosed, headRequest: headRequest)
            if parsed.count >= count || peerClosed || Date() > deadline { return parsed }
            await readOnce(timeout: max(0.01, deadline.timeIntervalSinceNow))
        }
    }

    /// Waits up to `timeout` for the peer to close. True if it closed.
    func waitForClose(timeout: Double = 10) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !peerClosed && Date() < deadline {
            await readOnce(timeout: max(0.01, deadline.timeIntervalSinceNow))
        }
        return peerClosed
    }

    /// One request, one response.
    func exchange(_ text: String, timeout: Double = 10) async throws -> RawResponse {
        try send(text)
        guard let response = await responses(1, timeout: timeout).first else {
            throw TestFailure("no response (closed: \(peerClosed), got \(received.count) bytes)")
        }
        return response
    }
}

/// A response as read off the wire.
struct RawResponse {
    var version: String
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var chunked: Bool

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    func headerValues(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    /// Parses every complete response in `bytes`. A body without framing runs to the end when the peer closed.
    static func parseAll(_ bytes: [UInt8], peerClosed: Bool, headRequest: Bool = false) -> [RawResponse] {
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

    private static func find(_ bytes: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        guard bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
        for i in from...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if Array(bytes[i..<i + needle.count]) == needle { return i }
        }
        return nil
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
