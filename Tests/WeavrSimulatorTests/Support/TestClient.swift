import Foundation
import TestSupport

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

/// An HTTP/1.1 client for the simulator's JSON API, one connection per request (`connection: close`), over
/// the test targets' one raw client.
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
        let raw = try await exchange(Array(head.utf8) + body, timeout: timeout)
        var response = try TestClient.parse(raw)
        response.elapsed = Date().timeIntervalSince(started)
        return response
    }

    /// One request on a fresh connection (the shared `RawClient`); every byte the simulator sends until it
    /// closes the connection.
    private func exchange(_ bytes: [UInt8], timeout: Double) async throws -> [UInt8] {
        let client: RawClient
        do {
            client = try RawClient(port: port)
        } catch {
            throw TestClientError(description: "\(error)")
        }
        do {
            try client.send(bytes)
        } catch {
            throw TestClientError(description: "\(error)", isConnectionReset: true)
        }
        guard await client.waitForClose(timeout: .milliseconds(Int(timeout * 1000))) else {
            throw TestClientError(description: "no end of the response within \(timeout) s (\(client.received.count) bytes)")
        }
        if client.peerReset {
            throw TestClientError(description: "connection reset after \(client.received.count) bytes", isConnectionReset: true)
        }
        return client.received
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
