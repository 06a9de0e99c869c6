import Audit
import Foundation
import Gateway
import NIOFreeHTTP
import Testing
import WeavrSimulator

/// The user's own lifecycle end to end: update, activate/deactivate, invites, lost and changed passwords, SMS
/// enrolment — each audited, and no password, code or nonce in any answer, log line or audit row.
@Suite("User lifecycle routes")
struct UserLifecycleRoutesTests {
    static let bob = "100000000000000102"

    @Test func patchUpdatesTheUserAndAuditsTheFieldNamesOnly() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let patched = try await gateway.call("PATCH", "/v1/users/\(Self.bob)", token: token, json: [
                "surname": "Mason", "email": "bob.mason@example.com", "mobile": ["countryCode": "+356", "number": "79000001"], "dateOfBirth": "1990-02-28",
            ])
            #expect(patched.status == 200, "\(patched.text)")
            #expect(patched.json["name"] as? String == "Bob" && patched.json["surname"] as? String == "Mason")
            #expect(patched.json["email"] as? String == "bob.mason@example.com")
            #expect(patched.json["dateOfBirth"] as? String == "1990-02-28")
            #expect((patched.json["mobile"] as? [String: String])?["number"] == "79000001")

            let row = try #require(try await gateway.services.audit.all(AuditFilter(action: "user.update", outcome: .success)).first)
            #expect(row.target == Self.bob)
            #expect(row.details.contains("surname") && row.details.contains("dateOfBirth"))
            #expect(!row.allText.contains("Mason") && !row.allText.contains("bob.mason") && !row.allText.contains("79000001"))

            let taken = try await gateway.call("PATCH", "/v1/users/\(Self.bob)", token: token, json: ["email": "alice@example.com"])
            #expect(taken.status == 409 && taken.code == "conflict")
            for (body, field) in [(["name": ""], "name"), (["dateOfBirth": "1990-02-30"], "dateOfBirth"), (["nickname": "B"], "nickname"),
                                  ([String: String](), "name")] {
                let reply = try await gateway.call("PATCH", "/v1/users/\(Self.bob)", token: token, json: body)
                #expect(reply.status == 422 && reply.invalidFieldNames.contains(field), "\(body)")
            }
            #expect(try await gateway.call("PATCH", "/v1/users/100000000000000103", token: token, json: ["name": "X"]).code == "not_found")
        }
    }

    @Test func deactivateAndActivateAnswerTheUserAsItIsNowAndAreAudited() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let off = try await gateway.call("POST", "/v1/users/\(Self.bob)/deactivate", token: token)
            #expect(off.status == 200 && off.json["active"] as? Bool == false, "\(off.text)")
            #expect(try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "bob@example.com", "password": "Password2!", "mode": "bearer"]).status == 401)
            let on = try await gateway.call("POST", "/v1/users/\(Self.bob)/activate", token: token)
            #expect(on.status == 200 && on.json["active"] as? Bool == true)
            _ = try await gateway.login(email: "bob@example.com", password: "Password2!")
            let audit = gateway.services.audit
            #expect(try await audit.all(AuditFilter(action: "user.deactivate", outcome: .success)).first?.target == Self.bob)
            #expect(try await audit.all(AuditFilter(action: "user.activate", outcome: .success)).first?.target == Self.bob)
            let yourself = try await gateway.call("POST", "/v1/users/100000000000000101/deactivate", token: token)
            #expect(yourself.status == 403, "\(yourself.text)")
            #expect(try await gateway.call("POST", "/v1/users/100000000000000103/activate", token: token).code == "not_found")
        }
    }

    /// Every secret a test sent, searched for in the answers, the access log and the audit rows.
    static func expectNoSecrets(_ gateway: GatewayHarness, _ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let transcript = gateway.transcript.withLock { $0.joined(separator: "\n") }
        let rows = try await gateway.services.audit.all(AuditFilter())
        for secret in secrets {
            #expect(!transcript.contains(secret), "\(secret) in an answer", sourceLocation: sourceLocation)
            #expect(!gateway.accessLog.all.contains(secret), "\(secret) in the access log", sourceLocation: sourceLocation)
            #expect(!rows.contains { $0.allText.contains(secret) }, "\(secret) in an audit row", sourceLocation: sourceLocation)
        }
    }

    /// A new user of acme, invited (not yet with a password): its id and email.
    static func invitedUser(_ gateway: GatewayHarness, _ n: Int) async throws -> (id: String, email: String) {
        let admin = try await gateway.steppedUpLogin()
        let email = "invitee\(n)@example.com"
        let created = try await gateway.call("POST", "/v1/users", token: admin, json: [
            "name": "Ivy", "surname": "Invitee", "email": email, "mobile": ["countryCode": "+44", "number": "770090\(1000 + n)"],
        ])
        let id = try #require(created.json["id"] as? String, "\(created.text)")
        #expect(try await gateway.call("POST", "/v1/users/\(id)/invite", token: admin).status == 204)
        return (id, email)
    }

    @Test func anInvitedUserSetsTheirPasswordWithoutASessionThenLogsIn() async throws {
        try await withGateway { gateway in
            let user = try await Self.invitedUser(gateway, 1)
            let password = "Invited#Pass1"
            let body: [String: Any] = ["tenant": "acme", "userId": user.id, "inviteCode": "123456", "password": password]
            var wrong = body
            wrong["inviteCode"] = "654321"
            let refused = try await gateway.call("POST", "/v1/auth/invites/consume", json: wrong)
            #expect(refused.status == 409 && refused.code == "conflict", "\(refused.text)")
            var unknownTenant = body
            unknownTenant["tenant"] = "nobody"
            #expect(try await gateway.call("POST", "/v1/auth/invites/consume", json: unknownTenant).status == 409)
            var simple = body
            simple["password"] = "password"
            let weak = try await gateway.call("POST", "/v1/auth/invites/consume", json: simple)
            #expect(weak.status == 409 && weak.json["upstreamCode"] as? String == "PASSWORD_TOO_SIMPLE", "\(weak.text)")
            #expect(try await gateway.call("POST", "/v1/auth/invites/consume", json: ["tenant": "acme", "userId": "x1", "inviteCode": "12"]).invalidFieldNames
                    == ["userId", "inviteCode", "password"])

            let consumed = try await gateway.call("POST", "/v1/auth/invites/consume", json: body)
            #expect(consumed.status == 204, "\(consumed.text)")
            #expect(try await gateway.call("POST", "/v1/auth/invites/consume", json: body).status == 409)
            _ = try await gateway.login(email: user.email, password: password)

            let rows = try await gateway.services.audit.all(AuditFilter(action: "user.invite.consume"))
            let success = try #require(rows.first { $0.outcome == "success" })
            #expect(success.actor == user.id && success.target == user.id && success.httpStatus == 204)
            #expect(rows.contains { $0.outcome == "intent" })
            try await Self.expectNoSecrets(gateway, [password, "654321"])
        }
    }

    @Test func inviteCodesCannotBeGuessed() async throws {
        try await withGateway { gateway in
            let body: [String: Any] = ["tenant": "acme", "userId": "100000000000000999", "inviteCode": "000000", "password": "Guess#Pass1"]
            for _ in 0..<4 {
                #expect(try await gateway.call("POST", "/v1/auth/invites/consume", json: body).status == 409)
            }
            let limited = try await gateway.call("POST", "/v1/auth/invites/consume", json: body)
            #expect(limited.status == 429 && limited.headers["retry-after"] != nil)
        }
    }

    @Test func aLostPasswordIsResetWithTheEmailedNonceAndUnknownEmailsLookTheSame() async throws {
        try await withGateway { gateway in
            let known = try await gateway.call("POST", "/v1/auth/password/lost", json: ["tenant": "acme", "email": "alice@example.com"])
            let unknown = try await gateway.call("POST", "/v1/auth/password/lost", json: ["tenant": "acme", "email": "nobody@example.com"])
            let noTenant = try await gateway.call("POST", "/v1/auth/password/lost", json: ["tenant": "nobody", "email": "alice@example.com"])
            #expect(known.status == 204 && unknown.status == 204 && noTenant.status == 204)
            #expect(known.body.isEmpty && unknown.body.isEmpty)

            let newPassword = "Reset#Passw0rd"
            let reset: [String: Any] = ["tenant": "acme", "email": "alice@example.com", "nonce": "123456", "newPassword": newPassword]
            var wrong = reset
            wrong["nonce"] = "111111"
            let refused = try await gateway.call("POST", "/v1/auth/password/reset", json: wrong)
            #expect(refused.status == 409 && refused.json["upstreamCode"] as? String == "INVALID_NONCE_OR_EMAIL", "\(refused.text)")
            #expect(try await gateway.call("POST", "/v1/auth/password/reset", json: reset).status == 204)
            #expect(try await gateway.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!", "mode": "bearer"]).status == 401)
            _ = try await gateway.login(password: newPassword)

            let audit = gateway.services.audit
            let lost = try await audit.all(AuditFilter(action: "auth.password.lost"))
            #expect(lost.filter { $0.outcome != "intent" }.count == 2)  // known and unknown email; the unknown tenant is a counted denial
            #expect(try await audit.all(AuditFilter(action: "auth.password.reset", outcome: .success)).count == 1)
            #expect(lost.allSatisfy { !$0.allText.contains("alice@example.com") })
            try await Self.expectNoSecrets(gateway, [newPassword, "111111", "\"nonce\":\"123456\""])
        }
    }

    @Test func theSessionUserChangesTheirPassword() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let wrong = try await gateway.call("POST", "/v1/auth/password", token: token, json: ["oldPassword": "Wrong#Pass9", "newPassword": "Changed#Pass2"])
            #expect(wrong.status == 422 && wrong.invalidFieldNames == ["oldPassword"], "\(wrong.text)")
            let changed = try await gateway.call("POST", "/v1/auth/password", token: token, json: ["oldPassword": "Password1!", "newPassword": "Changed#Pass2"])
            #expect(changed.status == 204, "\(changed.text)")
            _ = try await gateway.login(password: "Changed#Pass2")
            let rows = try await gateway.services.audit.all(AuditFilter(action: "auth.password.change"))
            #expect(rows.contains { $0.outcome == "success" && $0.actor == "100000000000000101" })
            try await Self.expectNoSecrets(gateway, ["Password1!", "Changed#Pass2", "Wrong#Pass9"])
        }
    }

    @Test func aNewUserEnrolsTheirMobileSoThatStepUpWorks() async throws {
        try await withGateway { gateway in
            let user = try await Self.invitedUser(gateway, 2)
            #expect(try await gateway.call("POST", "/v1/auth/invites/consume",
                                           json: ["tenant": "acme", "userId": user.id, "inviteCode": "123456", "password": "Invited#Pass2"]).status == 204)
            let token = try await gateway.login(email: user.email, password: "Invited#Pass2")
            let early = try await gateway.call("POST", "/v1/auth/step-up", token: token)
            #expect(early.status == 409 && early.json["upstreamCode"] as? String == "CHANNEL_NOT_REGISTERED", "\(early.text)")

            let sent = try await gateway.call("POST", "/v1/auth/factors/sms", token: token)
            #expect(sent.status == 202 && sent.json["status"] as? String == "code_sent", "\(sent.text)")
            let wrong = try await gateway.call("POST", "/v1/auth/factors/sms/verify", token: token, json: ["code": "999999"])
            #expect(wrong.status == 422 && wrong.invalidFieldNames == ["code"])
            #expect(try await gateway.call("POST", "/v1/auth/factors/sms/verify", token: token, json: ["code": "123456"]).status == 204)
            #expect(try await gateway.call("POST", "/v1/auth/factors/sms", token: token).status == 409)

            #expect(try await gateway.call("POST", "/v1/auth/step-up", token: token).status == 202)
            let stepped = try await gateway.call("POST", "/v1/auth/step-up/verify", token: token, json: ["code": "123456"])
            #expect(stepped.status == 200 && stepped.json["steppedUp"] as? Bool == true)
            let audit = gateway.services.audit
            #expect(try await audit.all(AuditFilter(action: "auth.factor.enrol", outcome: .success)).first?.actor == user.id)
            #expect(try await audit.all(AuditFilter(action: "auth.factor.verify", outcome: .success)).count == 1)
            try await Self.expectNoSecrets(gateway, ["Invited#Pass2", "999999"])
        }
    }
}
