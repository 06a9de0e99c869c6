import Foundation
import Gateway
import NIOFreeHTTP
import Testing

/// Security headers on every response of the public and admin routers, over real sockets.
@Suite("Security headers")
struct SecurityHeadersTests {
    @Test func everyPublicResponseCarriesThemAndV1IsNeverCached() async throws {
        try await withGateway() { gateway async throws in
            let token = try await gateway.login()
            let replies = [
                ("/healthz", try await gateway.call("GET", "/healthz")),
                ("/openapi.json", try await gateway.call("GET", "/openapi.json")),
                ("/v1/me", try await gateway.call("GET", "/v1/me", token: token)),
                ("/v1/cards", try await gateway.call("GET", "/v1/cards", token: token)),
                ("/v1/cards 401", try await gateway.call("GET", "/v1/cards")),
                ("/v1/nowhere 404", try await gateway.call("GET", "/v1/nowhere")),
                ("/healthz 405", try await gateway.call("DELETE", "/healthz")),
            // A problem thrown by a route outside the /v1 pipeline (a failed login) too.
            ("/v1/auth/login 401", try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "wrong"])),
            ]
            for (name, reply) in replies {
                #expect(reply.headers["x-content-type-options"] == "nosniff", "\(name)")
                #expect(reply.headers["referrer-policy"] == "no-referrer", "\(name)")
                #expect(reply.headers["strict-transport-security"] == nil, "\(name): plain HTTP sends no HSTS")
                if name.hasPrefix("/v1") { #expect(reply.headers["cache-control"] == "no-store", "\(name)") }
            }
        }
    }

    @Test func hstsIsSentWithItsConfiguredMaxAge() async throws {
        try await withGateway() { gateway async throws in
            var configuration = HTTPServer.Configuration()
            configuration.port = 0
            let server = try HTTPServer(configuration: configuration, group: gateway.group,
                                        responder: GatewayServer.makeRouter(services: gateway.services, hstsMaxAgeSeconds: 600))
            try server.start()
            let reply = try await gateway.client.execute(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(server.localAddress!.port)/v1/nowhere"))
            #expect(reply.headers["strict-transport-security"] == "max-age=600")
            #expect(reply.headers["x-content-type-options"] == "nosniff")
            await server.shutdown(gracePeriod: .seconds(1))
        }
    }
}
