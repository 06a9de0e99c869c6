import Foundation
import NIOFreeHTTP
import Testing
import TestSupport

/// The answers NIOFreeHTTP gives on its own (router 404/405, parser and deadline refusals, connection caps)
/// are RFC 9457 problem documents with a `code`, rendered through the responder's one hook.
@Suite("Server problems")
struct ServerProblemTests {
    /// `code` and `status` of a problem body, and its content type.
    static func problem(_ response: RawResponse) -> (code: String?, status: Int?, contentType: String?) {
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        return (json?["code"] as? String, json?["status"] as? Int, response.header("content-type"))
    }

    @Test(arguments: [
        ("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n", 404, "not_found"),
        ("DELETE /hello HTTP/1.1\r\nHost: a\r\n\r\n", 405, "method_not_allowed"),
        ("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2048\r\n\r\n", 413, "payload_too_large"),
        ("GET /\(String(repeating: "a", count: 300)) HTTP/1.1\r\nHost: a\r\n\r\n", 414, "uri_too_long"),
        ("GET /hello HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 2048))\r\n\r\n", 431, "request_header_fields_too_large"),
        ("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "bad_request"),
    ])
    func everyRefusalIsAProblemWithACode(request: String, status: Int, code: String) async throws {
        try await withTestServer(configure: {
            $0.maxBodyBytes = 1024
            $0.maxRequestLineBytes = 256
            $0.maxHeaderBytes = 1024
        }) { server in
            let client = try RawClient(port: server.port)
            let response = try await client.exchange(request)
            #expect(response.status == status)
            let problem = Self.problem(response)
            #expect(problem.contentType == "application/problem+json")
            #expect(problem.code == code)
            #expect(problem.status == status)
            // The server's clock on every answer, the parser's own refusals (400, 413, 414, 431) included.
            #expect(response.header("date")?.hasSuffix(" GMT") == true, "no Date on a \(status)")
        }
    }

    @Test func aMethodNotAllowedListsTheAllowedMethods() async throws {
        try await withTestServer { server in
            let response = try await RawClient(port: server.port).exchange("DELETE /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(response.status == 405)
            #expect(response.header("allow") == "GET, HEAD")
        }
    }

    @Test func theRoutersRendererShapesTheServersOwnRefusalsToo() async throws {
        var router = TestRoutes.router()
        router.problemRenderer = { problem in
            var response = HTTPResponse.json(problem.status, #"{"custom":"\#(problem.code)"}"#)
            for field in problem.headers { response.headers.add(field.name, field.value) }
            return response
        }
        try await withTestServer(configure: { $0.maxBodyBytes = 16 }, responder: router) { server in
            let notFound = try await RawClient(port: server.port).exchange("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(notFound.bodyText == #"{"custom":"not_found"}"#)
            let tooLarge = try await RawClient(port: server.port).exchange("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n")
            #expect(tooLarge.status == 413)
            #expect(tooLarge.bodyText == #"{"custom":"payload_too_large"}"#)
            let notAllowed = try await RawClient(port: server.port).exchange("PUT /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
            #expect(notAllowed.header("allow") == "GET, HEAD")
        }
    }

    @Test func aConnectionOverTheCapGetsAServiceUnavailableProblem() async throws {
        try await withTestServer(configure: { $0.maxConnections = 1 }) { server in
            let first = try RawClient(port: server.port)
            #expect(try await first.exchange("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").status == 200)
            let second = try RawClient(port: server.port)
            let response = try #require(await second.responses(1, timeout: .seconds(5)).first)
            #expect(response.status == 503)
            #expect(response.header("retry-after") == "1")
            #expect(Self.problem(response).code == "service_unavailable")
        }
    }
}
