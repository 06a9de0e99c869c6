import Foundation
@testable import Gateway
import NIOFreeHTTP
import Testing
import TestSupport

/// The gateway's listener answers even the refusals NIOFreeHTTP makes on its own (unknown path, wrong method,
/// oversized request, slow head) with its documented problem shape: `urn:weavr-gateway:problem:<code>` and a
/// `code` from the catalogue, which the OpenAPI document lists.
@Suite("Refusal problems")
struct RefusalProblemTests {
    /// The body of a raw answer (after the head), as JSON.
    static func body(_ raw: String) -> [String: Any] {
        guard let range = raw.range(of: "\r\n\r\n") else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(raw[range.upperBound...].utf8))) as? [String: Any] ?? [:]
    }

    @Test func anUnknownPathIsANotFoundProblem() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let reply = try await gateway.call("GET", "/v1/nothing-here")
        #expect(reply.status == 404)
        #expect(reply.headers["content-type"] == "application/problem+json")
        #expect(reply.code == "not_found")
        #expect(reply.json["type"] as? String == "urn:weavr-gateway:problem:not_found")
    }

    @Test func aWrongMethodIsAMethodNotAllowedProblemWithAllow() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let reply = try await gateway.call("PUT", "/v1/cards")
        #expect(reply.status == 405)
        #expect(reply.code == "method_not_allowed")
        #expect(reply.json["type"] as? String == "urn:weavr-gateway:problem:method_not_allowed")
        #expect(reply.headers["allow"] == "GET, POST, HEAD")
    }

    @Test(arguments: [
        ("POST /v1/cards HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n", 413, "payload_too_large"),
        ("GET /v1/\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n", 414, "uri_too_long"),
        ("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 40000))\r\n\r\n", 431, "request_header_fields_too_large"),
        ("GET /healthz HTTP/1.1\r\n\r\n", 400, "bad_request"),
    ])
    func theServersOwnRefusalsAreGatewayProblems(request: String, status: Int, code: String) async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let client = try RawClient(port: gateway.port)
        try client.send(request)
        let raw = await client.textUntilClosed(timeout: .seconds(5))
        #expect(raw.hasPrefix("HTTP/1.1 \(status) "))
        #expect(raw.lowercased().contains("content-type: application/problem+json"))
        #expect(raw.lowercased().contains("x-content-type-options: nosniff"))
        #expect(raw.lowercased().contains("cache-control: no-store"))
        let body = Self.body(raw)
        #expect(body["code"] as? String == code)
        #expect(body["status"] as? Int == status)
        #expect(body["type"] as? String == "urn:weavr-gateway:problem:\(code)")
        #expect(gateway.contract.validate(body, ["$ref": "#/components/schemas/Problem"], at: "body") == [])
    }

    @Test(arguments: [400, 404, 405, 408, 413, 414, 417, 431, 500, 501, 503, 505])
    func everyStatusTheServerAnswersByItselfHasACatalogueCode(status: Int) {
        let problem = Problem(HTTPServerProblem(status: status, detail: "fixed"))
        #expect(problem.code.rawValue == HTTPServerProblem.code(for: status))
        #expect(problem.code.status == status)
    }

    @Test func aSlowHeadIsARequestTimeoutProblemOverTheWire() async throws {
        let group = EventLoopGroup(threads: 1)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.headerTimeout = .milliseconds(300)
        let server = try HTTPServer(configuration: configuration, group: group, responder: GatewayServer.healthRouter())
        try server.start()
        let client = try RawClient(port: server.localAddress!.port)
        try client.send("GET /healthz HTTP/1.1\r\nHo")
        let raw = await client.textUntilClosed(timeout: .seconds(30))
        #expect(raw.hasPrefix("HTTP/1.1 408 "))
        #expect(Self.body(raw)["code"] as? String == "request_timeout")
        #expect(Self.body(raw)["type"] as? String == "urn:weavr-gateway:problem:request_timeout")
        await server.shutdown(gracePeriod: .seconds(1))
        group.shutdown()
    }
}
