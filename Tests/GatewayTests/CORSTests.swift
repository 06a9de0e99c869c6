import Auth
import Foundation
import Gateway
import NIOFreeHTTP
import Testing

/// CORS from the tenants' `allowedOrigins`, over real sockets.
@Suite("CORS")
struct CORSTests {
    static let origin = "https://app.acme.example"

    static func harness() async throws -> GatewayHarness {
        let gateway = try await GatewayHarness()
        _ = try await gateway.services.tenants.update("acme", TenantUpdate(allowedOrigins: [origin]))
        return gateway
    }

    @Test func aPreflightFromAnAllowedOriginIsAnswered() async throws {
        let gateway = try await Self.harness()
        let reply = try await gateway.call("OPTIONS", "/v1/cards/123/block", headers: [
            "origin": Self.origin, "access-control-request-method": "POST",
            "access-control-request-headers": "content-type, idempotency-key",
        ])
        #expect(reply.status == 204)
        #expect(reply.headers["access-control-allow-origin"] == Self.origin)
        #expect(reply.headers["access-control-allow-credentials"] == "true")
        #expect(reply.headers["access-control-allow-methods"]?.contains("POST") == true)
        #expect(reply.headers["access-control-allow-headers"] == "authorization, content-type, idempotency-key, x-csrf-token, x-request-id")
        #expect(reply.headers["access-control-max-age"] == "600")
        #expect(reply.headers["vary"] == "Origin")
        #expect(reply.headers["x-request-id"] != nil)
        await gateway.shutdown()
    }

    @Test(arguments: ["https://evil.example", "https://app.acme.example.evil.example", "https://APP.acme.example", "null"])
    func aPreflightFromAnotherOriginIsForbidden(origin: String) async throws {
        let gateway = try await Self.harness()
        let reply = try await gateway.call("OPTIONS", "/v1/me", headers: ["origin": origin, "access-control-request-method": "GET"])
        #expect(reply.status == 403)
        #expect(reply.code == "forbidden")
        #expect(reply.headers["access-control-allow-origin"] == nil)
        #expect(reply.headers["access-control-allow-credentials"] == nil)
        #expect(reply.headers["access-control-allow-methods"] == nil)
        await gateway.shutdown()
    }

    @Test func originsOfSuspendedTenantsAreNotAllowed() async throws {
        let gateway = try await Self.harness()
        _ = try await gateway.services.tenants.setStatus("acme", .suspended)
        let reply = try await gateway.call("OPTIONS", "/v1/me", headers: ["origin": Self.origin, "access-control-request-method": "GET"])
        #expect(reply.status == 403)
        await gateway.shutdown()
    }

    @Test func actualResponsesToAnAllowedOriginCarryCORSHeaders() async throws {
        let gateway = try await Self.harness()
        let token = try await gateway.login()
        let reply = try await gateway.call("GET", "/v1/me", token: token, headers: ["origin": Self.origin])
        #expect(reply.status == 200)
        #expect(reply.headers["access-control-allow-origin"] == Self.origin)
        #expect(reply.headers["access-control-allow-credentials"] == "true")
        #expect(reply.headers["access-control-expose-headers"] == "x-request-id, idempotent-replayed, retry-after, ratelimit, ratelimit-policy")
        #expect(reply.headers["vary"] == "Origin")
        // Problems too, so a page can read the error.
        let problem = try await gateway.call("GET", "/v1/me", headers: ["origin": Self.origin])
        #expect(problem.status == 401)
        #expect(problem.headers["access-control-allow-origin"] == Self.origin)
        // A failed login (thrown outside the /v1 pipeline) is readable by the tenant's page too.
        let failed = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "wrong"], headers: ["origin": Self.origin])
        #expect(failed.status == 401)
        #expect(failed.headers["access-control-allow-origin"] == Self.origin)
        await gateway.shutdown()
    }

    @Test func actualResponsesToOtherOriginsCarryNone() async throws {
        let gateway = try await Self.harness()
        let token = try await gateway.login()
        let reply = try await gateway.call("GET", "/v1/me", token: token, headers: ["origin": "https://evil.example"])
        #expect(reply.status == 200)
        #expect(reply.headers["access-control-allow-origin"] == nil)
        #expect(reply.headers["access-control-allow-credentials"] == nil)
        #expect(reply.headers["vary"] == "Origin")
        let plain = try await gateway.call("GET", "/v1/me", token: token)
        #expect(plain.headers["vary"] == nil)
        await gateway.shutdown()
    }

    /// Two tenants on one gateway, each with its own app origin.
    static let globexOrigin = "https://app.globex.example"

    static func twoTenants() async throws -> GatewayHarness {
        let gateway = try await Self.harness()
        _ = try await gateway.services.tenants.update("globex", TenantUpdate(allowedOrigins: [globexOrigin]))
        return gateway
    }

    @Test func aSessionsResponsesAreReadableOnlyByItsOwnTenantsOrigins() async throws {
        let gateway = try await Self.twoTenants()
        let login = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!", "mode": "cookie"], headers: ["origin": Self.origin])
        #expect(login.headers["access-control-allow-origin"] == Self.origin)
        let cookie = String(try #require(login.headers["set-cookie"]).split(separator: ";")[0])
        // Globex's page, with acme's cookie: acme's data is not granted to it.
        let cards = try await gateway.call("GET", "/v1/cards", headers: ["cookie": cookie, "origin": Self.globexOrigin])
        #expect(cards.status == 200)
        #expect(cards.headers["access-control-allow-origin"] == nil)
        #expect(cards.headers["access-control-allow-credentials"] == nil)
        let own = try await gateway.call("GET", "/v1/cards", headers: ["cookie": cookie, "origin": Self.origin])
        #expect(own.headers["access-control-allow-origin"] == Self.origin)
        // A login for acme from globex's page is not readable by it either (and refused: an unsafe request).
        let crossLogin = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!"], headers: ["origin": Self.globexOrigin])
        #expect(crossLogin.status == 403)
        #expect(crossLogin.headers["access-control-allow-origin"] == nil)
        await gateway.shutdown()
    }

    @Test func unsafeRequestsFromAnotherTenantsOriginAreRefusedBeforeTheyRun() async throws {
        let gateway = try await Self.twoTenants()
        let login = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!", "mode": "cookie"])
        let csrf = try #require(login.json["csrfToken"] as? String)
        let cookie = String(try #require(login.headers["set-cookie"]).split(separator: ";")[0])
        let before = gateway.simulator.capturedRequests.count
        let blocked = try await gateway.call("POST", "/v1/cards/\(GatewayHarness.Seed.fundedEUR)/block", headers: ["cookie": cookie, "x-csrf-token": csrf, "origin": Self.globexOrigin])
        #expect(blocked.status == 403)
        #expect(blocked.code == "forbidden")
        #expect(gateway.simulator.capturedRequests.count == before)  // nothing reached Weavr
        let null = try await gateway.call("POST", "/v1/auth/logout", headers: ["cookie": cookie, "x-csrf-token": csrf, "origin": "null"])
        #expect(null.status == 403)
        // The tenant's own origin, and a client that sends no Origin (a native app), pass.
        #expect(try await gateway.call("POST", "/v1/auth/step-up", headers: ["cookie": cookie, "x-csrf-token": csrf, "origin": Self.origin]).status == 202)
        #expect(try await gateway.call("POST", "/v1/auth/step-up", headers: ["cookie": cookie, "x-csrf-token": csrf]).status == 202)
        await gateway.shutdown()
    }
}
