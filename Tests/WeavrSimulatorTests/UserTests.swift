import Testing
import WeavrSimulator

struct UserTests {
    @Test func userCreationValidatesTheBody() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.steppedUpToken()
            let response = try await client.send("POST", "/users", token: token, json: ["name": "", "email": "not-an-email"])
            #expect(response.status == 400)
            let fields = (response.object["syntaxErrors"] as? [String: Any])?["invalidFields"] as? [[String: Any]] ?? []
            let names = Set(fields.compactMap { $0["fieldName"] as? String })
            #expect(names == ["name", "surname", "email"])
        }
    }

    @Test func listGetAndInviteUsers() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.steppedUpToken()
            let list = try await client.send("GET", "/users?limit=1", token: token)
            #expect(list.object["count"] as? Int == 2)
            #expect(list.object["responseCount"] as? Int == 1)
            #expect(try await client.send("GET", "/users/\(Demo.bob)", token: token).object["email"] as? String == "bob@example.com")
            #expect(try await client.send("GET", "/users/100000000000000103", token: token).status == 404)
            #expect(try await client.send("POST", "/users/\(Demo.bob)/invite", token: token).errorCode == "INVITE_ALREADY_CONSUMED")
            let created = try await client.send("POST", "/users", token: token, json: ["name": "Eve", "surname": "E", "email": "eve@example.com"])
            let id = try #require(created.object["id"] as? String)
            #expect(try await client.send("POST", "/users/\(id)/invite", token: token).status == 204)
        }
    }

    @Test func patchChangesOnlyTheMembersGiven() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let patched = try await client.send("PATCH", "/users/\(Demo.bob)", token: token, json: [
                "surname": "Mason", "mobile": ["countryCode": "+356", "number": "79000001"], "dateOfBirth": ["year": 1990, "month": 2, "day": 28],
            ])
            #expect(patched.status == 200)
            #expect(patched.object["name"] as? String == "Bob" && patched.object["surname"] as? String == "Mason")
            #expect((patched.object["mobile"] as? [String: String]) == ["countryCode": "+356", "number": "79000001"])
            #expect((patched.object["dateOfBirth"] as? [String: Int]) == ["year": 1990, "month": 2, "day": 28])
            #expect(try await client.send("GET", "/users/\(Demo.bob)", token: token).object["surname"] as? String == "Mason")
            #expect(try await client.send("PATCH", "/users/\(Demo.bob)", token: token, json: ["email": "alice@example.com"]).errorCode == "EMAIL_NOT_UNIQUE")
            #expect(try await client.send("PATCH", "/users/\(Demo.bob)", token: token, json: ["name": ""]).status == 400)
            #expect(try await client.send("PATCH", "/users/100000000000000103", token: token, json: ["name": "X"]).status == 404)
            #expect(try await client.send("PATCH", "/users/100000000000000101", token: token, json: ["roles": ["ADMIN"]]).errorCode == "CANNOT_MODIFY_OWN_ROLES")
            // Bob still logs in with his password.
            _ = try await client.login("bob@example.com", "Password2!")
        }
    }

    @Test func aDeactivatedUserCannotLogInAndTheirTokensStopWorking() async throws {
        try await withSimulator { _, client async throws in
            let alice = try await client.login()
            let bob = try await client.login("bob@example.com", "Password2!")
            #expect(try await client.send("POST", "/users/\(Demo.bob)/deactivate", token: alice).status == 204)
            #expect(try await client.send("GET", "/users/\(Demo.bob)", token: alice).object["active"] as? Bool == false)
            #expect(try await client.send("GET", "/users", token: bob).status == 401)
            #expect(try await client.send("POST", "/login_with_password", json: ["email": "bob@example.com", "password": ["value": "Password2!"]]).status == 403)
            #expect(try await client.send("POST", "/users/\(Demo.bob)/activate", token: alice).status == 204)
            #expect(try await client.send("GET", "/users/\(Demo.bob)", token: alice).object["active"] as? Bool == true)
            _ = try await client.login("bob@example.com", "Password2!")
            #expect(try await client.send("POST", "/users/100000000000000101/deactivate", token: alice).errorCode == "INSUFFICIENT_PERMISSIONS")
            #expect(try await client.send("POST", "/users/100000000000000103/activate", token: alice).status == 404)
        }
    }
}
