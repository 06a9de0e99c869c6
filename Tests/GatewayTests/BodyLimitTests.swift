import Foundation
@testable import Gateway
import NIOFreeHTTP
import Testing
import TestSupport

/// Request body limits: per route (`V1Routes.mutation(bodyLimit:)`) and server-wide (1 MiB).
@Suite("Body limits")
struct BodyLimitTests {
    @Test func aBodyOverTheRouteLimitIs413BeforeTheHandlerRuns() async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let token = try await server.harness.login()
        #expect(try await server.call("POST", "/v1/test/small", token: token, body: #"{"a":1}"#).status == 200)
        let reply = try await server.call("POST", "/v1/test/small", token: token, body: #"{"a":"0123456789"}"#)
        #expect(reply.status == 413)
        #expect(reply.code == "payload_too_large")
        #expect(reply.headers["content-type"] == "application/problem+json")
        await server.shutdown()
    }

    @Test func aDeclaredBodyOverTheServerLimitIs413BeforeItIsRead() async throws {
        let gateway = try await GatewayHarness()
        let client = try RawClient(port: gateway.port)
        try client.send("POST /v1/auth/login HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: \(2 * 1024 * 1024)\r\n\r\n")
        let head = try #require(await client.head(timeout: .seconds(5)), "no answer: \(client.receivedText)")
        #expect(head.hasPrefix("HTTP/1.1 413"), "\(head)")
        await gateway.shutdown()
    }
}
