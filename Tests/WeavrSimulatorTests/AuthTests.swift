import Testing
import WeavrSimulator

struct AuthTests {
    @Test func loginReturnsAnAccessTokenWithIdentityAndCredentials() async throws {
        try await withSimulator { _, client async throws in
            let response = try await client.send("POST", "/login_with_password", json: ["email": "alice@example.com", "password": ["value": "Password1!"]])
            #expect(response.status == 200)
            #expect(response.object["tokenType"] as? String == "ACCESS")
            #expect((response.object["identity"] as? [String: Any])?["type"] as? String == "CORPORATE")
            #expect((response.object["credentials"] as? [String: Any])?["type"] as? String == "ROOT")
            #expect(response.headers["request-ref"] != nil)
        }
    }

    @Test func wrongPasswordIs403WithoutBodyAndFiveFailuresLockWith423() async throws {
        try await withSimulator { _, client async throws in
            for attempt in 1...5 {
                let response = try await client.send("POST", "/login_with_password", json: ["email": "bob@example.com", "password": ["value": "nope"]])
                #expect(response.status == (attempt < 5 ? 403 : 423))
                #expect(response.body.isEmpty)
            }
            let locked = try await client.send("POST", "/login_with_password", json: ["email": "bob@example.com", "password": ["value": "Password2!"]])
            #expect(locked.status == 423)
        }
    }

    @Test func lockExpiresAfterThirtyMinutes() async throws {
        let clock = ManualSimulatorClock()
        try await withSimulator(clock: clock) { _, client async throws in
            for _ in 1...5 { _ = try await client.send("POST", "/login_with_password", json: ["email": "bob@example.com", "password": ["value": "x"]]) }
            let right = ["email": "bob@example.com", "password": ["value": "Password2!"]] as [String: Any]
            #expect(try await client.send("POST", "/login_with_password", json: right).status == 423)
            clock.advance(by: .seconds(1799))
            #expect(try await client.send("POST", "/login_with_password", json: right).status == 423)
            clock.advance(by: .seconds(2))
            #expect(try await client.send("POST", "/login_with_password", json: right).status == 200)
        }
    }

    @Test func missingOrUnknownApiKeyIs401WithoutBody() async throws {
        try await withSimulator { _, client async throws in
            var anonymous = client
            anonymous.apiKey = nil
            let missing = try await anonymous.send("POST", "/login_with_password", json: ["email": "alice@example.com", "password": ["value": "Password1!"]])
            #expect(missing.status == 401)
            #expect(missing.body.isEmpty)
            anonymous.apiKey = "wrong"
            #expect(try await anonymous.send("GET", "/managed_cards", token: try await client.login()).status == 401)
        }
    }

    @Test func missingOrUnknownTokenIs401() async throws {
        try await withSimulator { _, client async throws in
            #expect(try await client.send("GET", "/managed_cards").status == 401)
            #expect(try await client.send("GET", "/managed_cards", token: "forged").status == 401)
        }
    }

    @Test func tokenExpiresAfterFiveIdleMinutesAndUseSlidesTheWindow() async throws {
        let clock = ManualSimulatorClock()
        try await withSimulator(clock: clock) { _, client async throws in
            let token = try await client.login()
            clock.advance(by: .seconds(240))
            #expect(try await client.send("GET", "/managed_cards", token: token).status == 200)
            clock.advance(by: .seconds(240))  // 8 min after login, 4 min after last use
            #expect(try await client.send("GET", "/managed_cards", token: token).status == 200)
            clock.advance(by: .seconds(301))
            #expect(try await client.send("GET", "/managed_cards", token: token).status == 401)
        }
    }

    @Test func logoutEndsTheToken() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            #expect(try await client.send("POST", "/logout", token: token).status == 204)
            #expect(try await client.send("GET", "/managed_cards", token: token).status == 401)
        }
    }

    @Test func identitiesAndAccessTokenExchange() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let identities = try await client.send("GET", "/identities", token: token)
            #expect(identities.status == 200)
            #expect(identities.object["count"] as? Int == 1)
            let exchange = try await client.send("POST", "/access_token", token: token,
                                           json: ["identity": ["type": "CORPORATE", "id": "100000000000000001"]])
            #expect(exchange.status == 200)
            #expect(exchange.object["status"] as? String == "STANDARD")
            let exchanged = try #require(exchange.object["token"] as? String)
            #expect(try await client.send("GET", "/managed_cards", token: exchanged).status == 200)
            let wrongIdentity = try await client.send("POST", "/access_token", token: token, json: ["identity": ["type": "CONSUMER", "id": "100000000000000002"]])
            #expect(wrongIdentity.status == 403)
        }
    }

    @Test func stepUpWithSandboxCodeLetsUserCreationThrough() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let newUser: [String: Any] = ["name": "Dave", "surname": "Doe", "email": "dave@example.com"]
            let refused = try await client.send("POST", "/users", token: token, json: newUser)
            #expect(refused.status == 403)
            #expect(refused.errorCode == "STEP_UP_REQUIRED")
            #expect(try await client.send("POST", "/stepup/challenges/otp/SMS", token: token).status == 204)
            let wrong = try await client.send("POST", "/stepup/challenges/otp/SMS/verify", token: token, json: ["verificationCode": "000000"])
            #expect(wrong.status == 409)
            #expect(wrong.errorCode == "VERIFICATION_CODE_INVALID")
            #expect(try await client.send("POST", "/stepup/challenges/otp/SMS/verify", token: token, json: ["verificationCode": "123456"]).status == 204)
            let created = try await client.send("POST", "/users", token: token, json: newUser)
            #expect(created.status == 200)
            #expect(created.object["active"] as? Bool == true)
            #expect(try await client.send("POST", "/users", token: token, json: newUser).errorCode == "EMAIL_NOT_UNIQUE")
        }
    }

    @Test func verifyWithoutChallengeIsStateInvalidAndOtherChannelsUnsupported() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            #expect(try await client.send("POST", "/stepup/challenges/otp/SMS/verify", token: token, json: ["verificationCode": "123456"]).errorCode == "STATE_INVALID")
            #expect(try await client.send("POST", "/stepup/challenges/otp/EMAIL", token: token).errorCode == "CHANNEL_NOT_SUPPORTED")
        }
    }

    @Test func rateLimitAnswers429WithWeavrHeaders() async throws {
        try await withSimulator(configure: { $0.rateLimitPerMinute = 3 }) { _, client async throws in
            let token = try await client.login()
            for _ in 0..<2 { #expect(try await client.send("GET", "/managed_cards", token: token).status == 200) }
            let limited = try await client.send("GET", "/managed_cards", token: token)
            #expect(limited.status == 429)
            #expect(limited.body.isEmpty)
            #expect(limited.headers["x-ratelimit-limit"]?.hasPrefix("3") == true)
            #expect(Int(limited.headers["x-ratelimit-reset"] ?? "") != nil)
        }
    }

    @Test func everyResponseCarriesAUniqueRequestRef() async throws {
        try await withSimulator { _, client async throws in
            let first = try await client.send("GET", "/managed_cards")
            let second = try await client.send("GET", "/nowhere")
            #expect(first.headers["request-ref"] != nil)
            #expect(first.headers["request-ref"] != second.headers["request-ref"])
        }
    }
}
