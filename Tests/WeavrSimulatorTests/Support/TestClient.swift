import Foundation
import Glibc

/// Why a test request failed below HTTP.
struct TestClientError: Error, CustomStringConvertible {
    var description: String
    var isConnectionReset = false
}

/// A parsed HTTP response.
struct TestResponse {
    var status: Int
    /// Lower-cased names.
    var headers: [String: String]
    var body: [UInt8]
    var elapsed: Double

    var json: Any? { body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var errorCode: String? { object["errorCode"] as? String }
}

/// A blocking HTTP/1.1 client over a POSIX socket, one connection per request (`connection: close`).
struct TestClient: Sendable {
    let port: Int
    var apiKey: String? = "sim-demo-api-key"

    func send(
        _ method: String, _ path: String, token: String? = nil, headers: [String: String] = [:],
        json: Any? = nil, rawBody: [UInt8]? = nil, timeout: Double = 10
    ) async throws -> TestResponse {
        var body: [UInt8] = rawBody ?? []
        if let json { body = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])) }
        var head = "\(method) \(path) HTTP/1.1\r\nhost: 127.0.0.1:\(port)\r\nconnection: close\r\n"
        if let apiKey { head += "api-key: \(apiKey)\r\n" }
        if let token { head += "authorization: Bearer \(token)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PATCH" {
            head += "content-type: application/json\r\ncontent-length: \(body.count)\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let started = Date()
        // The blocking socket work runs on a thread of its own: tests share a small cooperative pool.
        let bytes = Array(head.utf8) + body
        let raw = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try exchange(bytes, timeout: timeout) })
            }
        }
        var response = try TestClient.parse(raw)
        response.elapsed = Date().timeIntervalSince(started)
        return response
    }

    private func exchange(_ bytes: [UInt8], timeout: Double) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClientError(description: "socket failed") }
        defer { close(fd) }
        var seconds = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestClientError(description: "connect failed: errno \(errno)") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw TestClientError(description: "send failed: errno \(errno)", isConnectionReset: errno == ECONNRESET || errno == EPIPE) }
            offset += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
            } else if n == 0 {
                return received
            } else {
                let code = errno
                throw TestClientError(description: "recv failed: errno \(code)", isConnectionReset: code == ECONNRESET)
            }
        }
    }

    static func parse(_ raw: [UInt8]) throws -> TestResponse {
        guard let end = raw.indices.dropLast(3).first(where: { raw[$0] == 13 && raw[$0 + 1] == 10 && raw[$0 + 2] == 13 && raw[$0 + 3] == 10 }) else {
            throw TestClientError(description: "no complete response head (\(raw.count) bytes)")
        }
        let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestClientError(description: "bad status line \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(raw[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            var decoded: [UInt8] = []
            var index = 0
            while index < body.count {
                guard let lineEnd = body[index...].indices.first(where: { body[$0] == 13 }) else { break }
                let size = Int(String(decoding: body[index..<lineEnd], as: UTF8.self), radix: 16) ?? 0
                index = lineEnd + 2
                if size == 0 { break }
                decoded.append(contentsOf: body[index..<min(body.count, index + size)])
                index += size + 2
            }
            body = decoded
        }
        return TestResponse(status: status, headers: headers, body: body, elapsed: 0)
    }

    /// Logs in and returns the token.
    func login(_ email: String = "alice@example.com", _ password: String = "Password1!") async throws -> String {
        let response = try await send("POST", "/login_with_password", json: ["email": email, "password": ["value": password]])
        guard response.status == 200, let token = response.object["token"] as? String else {
            throw TestClientError(description: "login failed with \(response.status)")
        }
        return token
    }

    /// Logs in and steps the token up with the sandbox OTP.
    func steppedUpToken(_ email: String = "alice@example.com", _ password: String = "Password1!") async throws -> String {
        let token = try await login(email, password)
        _ = try await send("POST", "/stepup/challenges/otp/SMS", token: token)
        _ = try await send("POST", "/stepup/challenges/otp/SMS/verify", token: token, json: ["verificationCode": "123456"])
        return token
    }
}
