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
}
