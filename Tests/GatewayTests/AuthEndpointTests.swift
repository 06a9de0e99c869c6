import Audit
import Auth
import Foundation
import Gateway
import GatewayCore
import NIOFreeHTTP
import Testing
import WeavrSimulator

/// `/v1/auth/*` and `/v1/me` end to end: client → gateway → simulator, over real sockets.
@Suite("Auth endpoints")
struct AuthEndpointTests {
    @Test func bearerLoginMeStepUpAndLogout() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        #expect(token.hasPrefix("gw1."))
        let me = try await gateway.call("GET", "/v1/me", token: token)
        #expect(me.status == 200)
        #expect((me.json["tenant"] as? [String: Any])?["id"] as? String == "acme")
        #expect(me.json["steppedUp"] as? Bool == false)

        #expect(try await gateway.call("POST", "/v1/auth/step-up", token: token).status == 202)
        let wrong = try await gateway.call("POST", "/v1/auth/step-up/verify", token: token, json: ["code": "000000"])
        #expect(wrong.status == 422)
        let verified = try await gateway.call("POST", "/v1/auth/step-up/verify", token: token, json: ["code": "123456"])
        #expect(verified.status == 200)
        #expect(verified.json["steppedUp"] as? Bool == true)

        #expect(try await gateway.call("POST", "/v1/auth/logout", token: token).status == 204)
        let after = try await gateway.call("GET", "/v1/me", token: token)
        #expect(after.status == 401)
        #expect(after.code == "unauthenticated")
        await gateway.shutdown()
    }

    @Test func theBearerSchemeIsCaseInsensitiveAndNothingElseIsACredential() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            #expect(try await gateway.call("GET", "/v1/me", headers: ["authorization": "\(scheme) \(token)"]).status == 200)
        }
        for value in ["Basic \(token)", "Bearer", "Bearer ", "Bearerx \(token)", "Bearer  \(token)", "\(token)", "Bear \(token)"] {
            let refused = try await gateway.call("GET", "/v1/me", headers: ["authorization": value])
            #expect(refused.status == 401 && refused.code == "unauthenticated", "\(value.prefix(12))")
        }
        await gateway.shutdown()
    }

    @Test func cookieLoginSetsAHostCookieAndUnsafeRequestsNeedTheCSRFToken() async throws {
        let gateway = try await GatewayHarness()
        let login = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!", "mode": "cookie"])
        #expect(login.status == 200)
        #expect(login.json["token"] == nil)  // the token is only in the cookie
        let csrf = try #require(login.json["csrfToken"] as? String)
        let setCookie = try #require(login.headers["set-cookie"])
        #expect(setCookie.hasPrefix("__Host-gw_session=gw1."))
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] { #expect(setCookie.contains(attribute)) }
        #expect(!setCookie.contains("Domain"))
        let cookie = String(setCookie.split(separator: ";")[0])

        #expect(try await gateway.call("GET", "/v1/me", headers: ["cookie": cookie]).status == 200)
        let noToken = try await gateway.call("POST", "/v1/auth/step-up", headers: ["cookie": cookie])
        #expect(noToken.status == 403)
        #expect(noToken.code == "csrf_failed")
        let badToken = try await gateway.call("POST", "/v1/auth/step-up", headers: ["cookie": cookie, "x-csrf-token": String(csrf.reversed())])
        #expect(badToken.code == "csrf_failed")
        let crossSite = try await gateway.call("POST", "/v1/auth/step-up", headers: ["cookie": cookie, "x-csrf-token": csrf, "sec-fetch-site": "cross-site"])
        #expect(crossSite.code == "csrf_failed")
        #expect(try await gateway.call("POST", "/v1/auth/step-up", headers: ["cookie": cookie, "x-csrf-token": csrf]).status == 202)
        let logout = try await gateway.call("POST", "/v1/auth/logout", headers: ["cookie": cookie, "x-csrf-token": csrf])
        #expect(logout.status == 204)
        #expect(logout.headers["set-cookie"]?.contains("Max-Age=0") == true)
        await gateway.shutdown()
    }

    @Test func badCredentialsUnknownTenantAndBadInputAreDistinguishedOnlyWhereSafe() async throws {
        let gateway = try await GatewayHarness()
        let wrong = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "nope"])
        let unknownTenant = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "nobody", "email": "alice@example.com", "password": "Password1!"])
        #expect(wrong.status == 401)
        #expect(wrong.body == unknownTenant.body)
        let missing = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme"])
        #expect(missing.status == 422)
        let names = (missing.json["invalidFields"] as? [[String: String]])?.compactMap { $0["name"] } ?? []
        #expect(Set(names) == ["email", "password"])
        var notJSON = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(gateway.port)/v1/auth/login", headers: ["content-type": "application/json"], body: Array("{".utf8))
        #expect(try await gateway.client.execute(notJSON).status == 400)
        notJSON.headers = ["content-type": "text/plain"]
        #expect(try await gateway.client.execute(notJSON).status == 415)
        await gateway.shutdown()
    }

    @Test func aLockedAccountAnswersExactlyLikeBadCredentials() async throws {
        var settings = GatewayServices.Settings()
        settings.loginAttemptsPerEmail = 20  // let Weavr's own lockout (5 failures) happen
        let gateway = try await GatewayHarness(settings: settings)
        for _ in 0..<6 {
            _ = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "bob@example.com", "password": "wrong"])
        }
        let locked = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "bob@example.com", "password": "Password2!"])
        let wrong = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "carol@example.com", "password": "wrong"])
        #expect(locked.status == 401)
        #expect(locked.body == wrong.body)
        #expect(locked.headers["retry-after"] == nil)
        let rows = try await gateway.services.audit.all(AuditFilter(action: "auth.login"))
        #expect(rows.last { $0.details.contains("\"locked\"") } != nil)
        await gateway.shutdown()
    }

    @Test func theDefaultPerEmailLimitStopsBeforeWeavrsLockout() async throws {
        let gateway = try await GatewayHarness()
        var statuses: [Int] = []
        for _ in 0..<7 {
            statuses.append(try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "bob@example.com", "password": "wrong"]).status)
        }
        #expect(statuses == [401, 401, 401, 401, 429, 429, 429])
        let attempts = gateway.simulator.capturedRequests.filter { $0.route == "/login_with_password" }.count
        #expect(attempts == 4)  // Weavr locks after 5 failed consecutive logins: it never saw a fifth
        await gateway.shutdown()
    }

    @Test func loginAttemptsAreLimitedPerTenantAndEmail() async throws {
        var settings = GatewayServices.Settings()
        settings.loginAttemptsPerEmail = 3
        let gateway = try await GatewayHarness(settings: settings)
        for _ in 0..<3 {
            #expect(try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "x"]).status == 401)
        }
        let limited = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!"])
        #expect(limited.status == 429)
        #expect(limited.code == "rate_limited")
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 > 0)
        // Another email of the same tenant is not affected.
        #expect(try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "bob@example.com", "password": "Password2!", "mode": "bearer"]).status == 200)
        await gateway.shutdown()
    }

    @Test func suspendedTenantCannotLogInAndItsSessionsStopWorking() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        _ = try await gateway.services.tenants.setStatus("acme", .suspended)
        #expect(try await gateway.call("GET", "/v1/me", token: token).status == 401)
        #expect(try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!"]).status == 401)
        _ = try await gateway.services.tenants.setStatus("acme", .active)
        #expect(try await gateway.call("GET", "/v1/me", token: token).status == 200)
        await gateway.shutdown()
    }

    @Test func tamperedExpiredAndForeignTokensAllGetTheSame401() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        let reference = try await gateway.call("GET", "/v1/me", token: "garbage")
        #expect(reference.status == 401)
        var variants = ["", "gw1.", "gw1.x.y.z", String(token.dropLast()), token + "A", token.replacingOccurrences(of: "gw1.", with: "gw2.")]
        let bytes = Array(token.utf8)
        for index in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
            var copy = bytes
            copy[index] = copy[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            variants.append(String(decoding: copy, as: UTF8.self))
        }
        for variant in variants where variant != token {
            let reply = try await gateway.call("GET", "/v1/me", token: variant)
            #expect(reply.status == 401)
            #expect(reply.body == reference.body)
        }
        #expect(try await gateway.call("GET", "/v1/me", token: token).status == 200)
        await gateway.shutdown()
    }

    @Test func tenantsAreIsolated() async throws {
        let gateway = try await GatewayHarness()
        let acme = try await gateway.login()
        let globex = try await gateway.login(tenant: "globex", email: "dave@example.com", password: "Password4!")
        let acmeMe = try await gateway.call("GET", "/v1/me", token: acme)
        let globexMe = try await gateway.call("GET", "/v1/me", token: globex)
        #expect((acmeMe.json["tenant"] as? [String: Any])?["id"] as? String == "acme")
        #expect((globexMe.json["tenant"] as? [String: Any])?["id"] as? String == "globex")
        // Each tenant's login goes out with its own api-key: Globex's user does not exist behind Acme's key.
        #expect(try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "dave@example.com", "password": "Password4!"]).status == 401)
        // Acme's session rows are not Globex's: revoking all of Globex leaves Acme logged in.
        _ = try await gateway.services.sessions.revokeAll(tenantID: "globex")
        #expect(try await gateway.call("GET", "/v1/me", token: globex).status == 401)
        #expect(try await gateway.call("GET", "/v1/me", token: acme).status == 200)
        await gateway.shutdown()
    }

    @Test func rotationLogsNobodyOutAndRetirementDoes() async throws {
        let gateway = try await GatewayHarness()
        let before = try await gateway.login()
        let oldKid = before.split(separator: ".")[1]
        let rotated = try await gateway.services.keyRing.rotate()
        #expect(rotated.kid != String(oldKid))
        #expect(try await gateway.call("GET", "/v1/me", token: before).status == 200)
        let after = try await gateway.login()
        #expect(after.split(separator: ".")[1] == Substring(rotated.kid))
        _ = try await gateway.services.keyRing.retire(String(oldKid))
        #expect(try await gateway.call("GET", "/v1/me", token: before).status == 401)
        #expect(try await gateway.call("GET", "/v1/me", token: after).status == 200)
        await gateway.shutdown()
    }

    @Test func idleAndAbsoluteExpiryWithAnInjectedClock() async throws {
        let clock = ManualWallClock.sameDayForHours()
        let gateway = try await GatewayHarness(clock: clock)
        let token = try await gateway.login()
        // Sliding: use every 4 minutes keeps it alive past 5 minutes.
        for _ in 0..<3 {
            clock.advance(by: 4 * 60 * 1000)
            #expect(try await gateway.call("GET", "/v1/me", token: token).status == 200)
        }
        clock.advance(by: 5 * 60 * 1000 + 1000)
        #expect(try await gateway.call("GET", "/v1/me", token: token).status == 401)
        // Absolute: 8 hours, however active.
        let second = try await gateway.login()
        for _ in 0..<(8 * 60 / 4) {
            clock.advance(by: 4 * 60 * 1000)
            _ = try await gateway.call("GET", "/v1/me", token: second)
        }
        #expect(try await gateway.call("GET", "/v1/me", token: second).status == 401)
        await gateway.shutdown()
    }

    @Test func aWeavr401EndsTheGatewaySession() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        gateway.simulatorClock.advance(by: .seconds(6 * 60))  // Weavr's token dies after 5 idle minutes
        let stepUp = try await gateway.call("POST", "/v1/auth/step-up", token: token)
        #expect(stepUp.status == 401)
        #expect(stepUp.code == "session_expired")
        #expect(try await gateway.call("GET", "/v1/me", token: token).status == 401)
        await gateway.shutdown()
    }

    @Test func secretsNeverAppearInResponsesLogsOrTheDatabaseFile() async throws {
        let gateway = try await GatewayHarness(backend: .sqlite)  // SQLite-specific: reads the SQLite file as bytes
        let token = try await gateway.login()
        _ = try await gateway.call("POST", "/v1/auth/step-up", token: token)
        _ = try await gateway.call("POST", "/v1/auth/step-up/verify", token: token, json: ["code": "123456"])
        _ = try await gateway.call("GET", "/v1/me", token: token)
        _ = try await gateway.call("POST", "/v1/auth/logout", token: token)
        _ = try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!WRONG"])
        let secrets = ["sim-demo-api-key", "Password1!", "simtok."]
        let transcript = gateway.transcript.withLock { $0.joined(separator: "\n") }
        let log = gateway.accessLog.all
        #expect(!log.isEmpty)
        let database = gateway.databaseBytes()
        #expect(database.count > 0)
        for secret in secrets {
            #expect(!transcript.contains(secret), "\(secret) in a response")
            #expect(!log.contains(secret), "\(secret) in the access log")
            #expect(!database.contains(bytes: Array(secret.utf8)), "\(secret) in the database file")
        }
        await gateway.shutdown()
    }
}
