import Auth
import Gateway
import Testing

@Suite("Per-tenant and per-session request rates")
struct RequestRateLimitTests {
    @Test func sessionLimitAnswers429WithRateLimitFieldsAndOtherSessionsContinue() async throws {
        var settings = GatewayServices.Settings()
        settings.sessionRequestsPerMinute = 5
        let gateway = try await GatewayHarness(settings: settings)
        let alice = try await gateway.login()
        var replies: [GatewayHarness.Reply] = []
        for _ in 0..<6 { replies.append(try await gateway.call("GET", "/v1/me", token: alice)) }
        #expect(replies.prefix(5).allSatisfy { $0.status == 200 })
        #expect(replies[0].headers["ratelimit-policy"] == #""tenant";q=6000;w=60, "session";q=5;w=60"#)
        #expect(replies[0].headers["ratelimit"] == #""session";r=4;t=12"#)
        let limited = replies[5]
        #expect(limited.status == 429)
        #expect(limited.code == "rate_limited")
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(limited.headers["ratelimit"]?.hasPrefix(#""session";r=0;"#) == true)
        // Another session of the same tenant has its own budget.
        let bob = try await gateway.login(email: "bob@example.com", password: "Password2!")
        #expect(try await gateway.call("GET", "/v1/me", token: bob).status == 200)
        await gateway.shutdown()
    }

    @Test func tenantOverrideAndTenantWideLimit() async throws {
        let gateway = try await GatewayHarness()
        _ = try await gateway.services.tenants.update("acme", TenantUpdate(quotas: ["rate.tenant_per_minute": 3, "rate.session_per_minute": 100]))
        let alice = try await gateway.login()
        let bob = try await gateway.login(email: "bob@example.com", password: "Password2!")
        let statuses = [
            try await gateway.call("GET", "/v1/me", token: alice).status,
            try await gateway.call("GET", "/v1/me", token: bob).status,
            try await gateway.call("GET", "/v1/me", token: alice).status,
            try await gateway.call("GET", "/v1/me", token: bob).status,
        ]
        #expect(statuses == [200, 200, 200, 429])
        // Globex is not affected by Acme's budget.
        let dave = try await gateway.login(tenant: "globex", email: "dave@example.com", password: "Password4!")
        #expect(try await gateway.call("GET", "/v1/me", token: dave).status == 200)
        await gateway.shutdown()
    }
}
