import Audit
import Auth
import Foundation
@testable import Gateway
import GatewayCore
import NIOFreeHTTP
import Testing

/// Login limits per client IP, tenant and tenant + email, trusted proxies, and bounded memory.
@Suite("Login throttling")
struct LoginThrottleTests {
    static func login(_ gateway: GatewayHarness, tenant: String = "acme", email: String, password: String = "wrong",
                      headers: HTTPHeaders = HTTPHeaders()) async throws -> GatewayHarness.Reply {
        try await gateway.call("POST", "/v1/auth/login", json: ["tenant": tenant, "email": email, "password": password, "mode": "bearer"], headers: headers)
    }

    @Test func distinctEmailsFromOneAddressAreLimitedPerClientIP() async throws {
        var settings = GatewayServices.Settings()
        settings.loginPerClientIPPerMinute = 5
        try await withGateway(settings: settings) { gateway async throws in
            var statuses: [Int] = []
            for index in 0..<7 {
                // Unknown tenants count too: the address is limited before anything is looked up.
                let tenant = index.isMultiple(of: 2) ? "acme" : "nobody-\(index)"
                statuses.append(try await Self.login(gateway, tenant: tenant, email: "user\(index)@example.com").status)
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429])
            let weavrLogins = gateway.simulator.capturedRequests.filter { $0.route == "/login_with_password" }.count
            #expect(weavrLogins == 3)
        }
    }

    @Test func distinctEmailsFromManyAddressesAreLimitedPerTenant() async throws {
        var settings = GatewayServices.Settings()
        settings.loginPerTenantPerMinute = 3
        settings.trustedProxies = try TrustedProxies.parse(["127.0.0.1"]).get()
        try await withGateway(settings: settings) { gateway async throws in
            var statuses: [Int] = []
            for index in 0..<5 {
                statuses.append(try await Self.login(gateway, email: "user\(index)@example.com", headers: ["x-forwarded-for": "198.51.100.\(index)"]).status)
            }
            #expect(statuses == [401, 401, 401, 429, 429])
            // Another tenant's users still log in: the programme of acme is protected, not everybody locked out.
            #expect(try await Self.login(gateway, tenant: "globex", email: "dave@example.com", password: "Password4!").status == 200)
        }
    }

    @Test func forwardedForIsBelievedOnlyFromATrustedProxy() async throws {
        var settings = GatewayServices.Settings()
        settings.loginPerClientIPPerMinute = 2
        let untrusted = try await GatewayHarness(settings: settings)
        var statuses: [Int] = []
        for index in 0..<3 {
            statuses.append(try await Self.login(untrusted, email: "u\(index)@example.com", headers: ["x-forwarded-for": "203.0.113.\(index)"]).status)
        }
        #expect(statuses == [401, 401, 429])  // the header was ignored: one address
        await untrusted.shutdown()

        settings.trustedProxies = try TrustedProxies.parse(["127.0.0.0/8"]).get()
        let trusted = try await GatewayHarness(settings: settings)
        statuses = []
        for index in 0..<3 {
            // The client cannot pick its address: a trusted proxy appends the real one on the right.
            statuses.append(try await Self.login(trusted, email: "u\(index)@example.com", headers: ["x-forwarded-for": "1.1.1.1, 203.0.113.\(index)"]).status)
        }
        #expect(statuses == [401, 401, 401])
        let forwarded = try await Self.login(trusted, email: "f@example.com", headers: ["forwarded": "for=\"[2001:db8::7]:4711\";proto=https"])
        #expect(forwarded.status == 401)
        let rows = try await trusted.services.audit.all(AuditFilter(action: "auth.login"))
        #expect(rows.map(\.clientIP) == ["203.0.113.0", "203.0.113.1", "203.0.113.2", "2001:db8::7"])
        await trusted.shutdown()
    }

    @Test func unknownTenantsMakeNoEmailKeysAndRefusalsAreCountedNotWrittenOneByOne() async throws {
        var settings = GatewayServices.Settings()
        settings.loginPerClientIPPerMinute = 1_000
        let clock = ManualWallClock(now: 1_700_000_000_000)
        try await withGateway(clock: clock, settings: settings) { gateway async throws in
            for index in 0..<200 {
                _ = try await Self.login(gateway, tenant: "junk-\(index)", email: "junk\(index)@example.com")
            }
            #expect(gateway.services.loginThrottle.trackedEmailKeys == 0)
            #expect(try await gateway.services.audit.all().isEmpty)
            clock.advance(by: 60_000)
            #expect(try await gateway.services.denials.flush() == 1)
            let rows = try await gateway.services.audit.all(AuditFilter(action: "access.denied"))
            #expect(rows.count == 1)
            #expect(rows[0].actor == "anonymous" && rows[0].clientIP == "127.0.0.1")
            #expect(rows[0].details.contains("\"count\":200") && rows[0].details.contains("login_unknown_tenant"))
        }
    }

    @Test func junkKeysNeverLockAnybodyOut() {
        let now = RateLimiterTests.FakeClock()
        let limiter = RateLimiter(rate: 1, per: .seconds(600), burst: 1, maxKeys: 100) { now.now.load(ordering: .relaxed) }
        #expect(limiter.acquire("victim").allowed)
        #expect(!limiter.acquire("victim").allowed)
        for index in 0..<10_000 { _ = limiter.acquire("junk-\(index)") }
        #expect(limiter.trackedKeys <= 100)
        #expect(limiter.acquire("fresh").allowed)

        let attempts = ConsecutiveAttemptLimiter(maxAttempts: 2, quietPeriod: .seconds(1800), maxKeys: 100) { now.now.load(ordering: .relaxed) }
        for index in 0..<10_000 { #expect(attempts.acquire("junk-\(index)").allowed) }
        #expect(attempts.trackedKeys <= 100)
        #expect(attempts.acquire("someone").allowed)
    }

    @Test func consecutiveAttemptsPauseForTheQuietPeriodAndASuccessStartsOver() {
        let now = RateLimiterTests.FakeClock()
        let limiter = ConsecutiveAttemptLimiter(maxAttempts: 4, quietPeriod: .seconds(1800)) { now.now.load(ordering: .relaxed) }
        for _ in 0..<4 { #expect(limiter.acquire("bob").allowed) }
        let refused = limiter.acquire("bob")
        #expect(!refused.allowed && refused.retryAfterSeconds == 1800)
        now.advance(seconds: 1799)
        #expect(!limiter.acquire("bob").allowed)  // refusals do not extend the pause, and nothing gets through
        now.advance(seconds: 1)
        #expect(limiter.acquire("bob").allowed)
        limiter.reset("bob")
        for _ in 0..<4 { #expect(limiter.acquire("bob").allowed) }
    }

    @Test(arguments: [
        ("203.0.113.9", [], "127.0.0.1"),
        ("203.0.113.9", ["127.0.0.1"], "203.0.113.9"),
        ("9.9.9.9, 203.0.113.9", ["127.0.0.1"], "203.0.113.9"),
        ("9.9.9.9, 203.0.113.9, 10.0.0.2", ["127.0.0.1", "10.0.0.0/8"], "203.0.113.9"),
        ("not-an-ip, 10.0.0.2", ["127.0.0.1", "10.0.0.0/8"], "10.0.0.2"),
    ] as [(String, [String], String)])
    func clientAddressFromXForwardedFor(header: String, trusted: [String], expected: String) throws {
        let request = HTTPRequest(method: "GET", path: "/", headers: ["x-forwarded-for": header])
        #expect(ClientAddress.of(request, trusting: try TrustedProxies.parse(trusted).get()) == expected)
    }
}
