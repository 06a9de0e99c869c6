import Testing
import WeavrSimulator

/// Invites, lost passwords, password changes and SMS enrolment in the simulator.
struct CredentialTests {
    func createUser(_ client: TestClient, _ token: String, email: String) async throws -> String {
        let created = try await client.send("POST", "/users", token: token, json: [
            "name": "Fay", "surname": "F", "email": email, "mobile": ["countryCode": "+44", "number": "7700900077"],
        ])
        return try #require(created.object["id"] as? String)
    }

    @Test func anInvitedUserSetsTheirPasswordWithTheInviteCodeAndMustEnrolBeforeStepUp() async throws {
        try await withSimulator { _, client async throws in
            let admin = try await client.steppedUpToken()
            let id = try await createUser(client, admin, email: "fay@example.com")
            let body: [String: Any] = ["inviteCode": "123456", "password": ["value": "Fay#Passw0rd"]]
            #expect(try await client.send("POST", "/users/\(id)/invite/consume", json: body).errorCode == "INVITE_OR_INVITE_CODE_INVALID")
            #expect(try await client.send("POST", "/users/\(id)/invite", token: admin).status == 204)
            #expect(try await client.send("POST", "/users/\(id)/invite/consume", json: ["inviteCode": "000000", "password": ["value": "Fay#Passw0rd"]])
                .errorCode == "INVITE_OR_INVITE_CODE_INVALID")
            for (password, code) in [("Aa1!", "PASSWORD_TOO_SHORT"), ("password1", "PASSWORD_TOO_SIMPLE"), (String(repeating: "Aa1!", count: 8), "PASSWORD_TOO_LONG")] {
                #expect(try await client.send("POST", "/users/\(id)/invite/consume", json: ["inviteCode": "123456", "password": ["value": password]]).errorCode == code)
            }
            let consumed = try await client.send("POST", "/users/\(id)/invite/consume", json: body)
            #expect(consumed.status == 200)
            let token = try #require(consumed.object["token"] as? String)
            #expect(try await client.send("POST", "/users/\(id)/invite/consume", json: body).errorCode == "PASSWORD_ALREADY_CREATED")
            #expect(try await client.send("POST", "/users/1/invite/consume", json: body).status == 404)
            _ = try await client.login("fay@example.com", "Fay#Passw0rd")

            #expect(try await client.send("POST", "/stepup/challenges/otp/SMS", token: token).errorCode == "CHANNEL_NOT_REGISTERED")
            #expect(try await client.send("POST", "/authentication_factors/otp/SMS/verify", token: token, json: ["verificationCode": "123456"]).errorCode == "VERIFICATION_CODE_EXPIRED")
            #expect(try await client.send("POST", "/authentication_factors/otp/SMS", token: token).status == 204)
            #expect(try await client.send("POST", "/authentication_factors/otp/SMS/verify", token: token, json: ["verificationCode": "000000"]).errorCode == "VERIFICATION_CODE_INVALID")
            #expect(try await client.send("POST", "/authentication_factors/otp/SMS/verify", token: token, json: ["verificationCode": "123456"]).status == 204)
            #expect(try await client.send("POST", "/authentication_factors/otp/SMS", token: token).errorCode == "CHANNEL_ALREADY_REGISTERED")
            #expect(try await client.send("POST", "/stepup/challenges/otp/SMS", token: token).status == 204)
        }
    }

    @Test func aLostPasswordIsResumedWithTheNonceAndLiftsALockout() async throws {
        try await withSimulator { _, client async throws in
            for _ in 0..<5 {
                _ = try await client.send("POST", "/login_with_password", json: ["email": "bob@example.com", "password": ["value": "nope"]])
            }
            #expect(try await client.send("POST", "/login_with_password", json: ["email": "bob@example.com", "password": ["value": "Password2!"]]).status == 423)
            let resume: [String: Any] = ["email": "bob@example.com", "nonce": "123456", "newPassword": ["value": "Bob#Passw0rd"]]
            #expect(try await client.send("POST", "/passwords/lost_password/resume", json: resume).errorCode == "INVALID_NONCE_OR_EMAIL")
            #expect(try await client.send("POST", "/passwords/lost_password/start", json: ["email": "nobody@example.com"]).errorCode == "ACCOUNT_NOT_FOUND")
            #expect(try await client.send("POST", "/passwords/lost_password/start", json: ["email": "bob@example.com"]).status == 204)
            #expect(try await client.send("POST", "/passwords/lost_password/resume", json: ["email": "bob@example.com", "nonce": "123456", "newPassword": ["value": "Password2!"]])
                .errorCode == "PASSWORD_ALREADY_USED")
            let resumed = try await client.send("POST", "/passwords/lost_password/resume", json: resume)
            #expect(resumed.status == 200 && resumed.object["token"] is String)
            _ = try await client.login("bob@example.com", "Bob#Passw0rd")
            #expect(try await client.send("POST", "/passwords/lost_password/resume", json: resume).errorCode == "INVALID_NONCE_OR_EMAIL")
        }
    }

    @Test func passwordUpdateChecksTheOldPassword() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let wrong: [String: Any] = ["oldPassword": ["value": "nope"], "newPassword": ["value": "Alice#Pass2"]]
            #expect(try await client.send("POST", "/passwords/update", token: token, json: wrong).errorCode == "PASSWORD_INCORRECT")
            let same: [String: Any] = ["oldPassword": ["value": "Password1!"], "newPassword": ["value": "Password1!"]]
            #expect(try await client.send("POST", "/passwords/update", token: token, json: same).errorCode == "PASSWORD_ALREADY_USED")
            let updated = try await client.send("POST", "/passwords/update", token: token, json: ["oldPassword": ["value": "Password1!"], "newPassword": ["value": "Alice#Pass2"]])
            #expect(updated.status == 200 && updated.object["token"] is String)
            #expect((updated.object["passwordInfo"] as? [String: Any])?["expiryDate"] as? Int == 0)
            _ = try await client.login("alice@example.com", "Alice#Pass2")
        }
    }
}
