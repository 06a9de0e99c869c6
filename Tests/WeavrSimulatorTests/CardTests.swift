import Testing
import WeavrSimulator

struct CardTests {
    static let requiredFields: Set<String> = [
        "id", "profileId", "externalHandle", "friendlyName", "currency", "state", "type", "cardBrand", "cardNumberFirstSix",
        "cardNumberLastFour", "nameOnCard", "startMmyy", "expiryMmyy", "cardLevelClassification", "expiryPeriodMonths",
        "renewalType", "creationTimestamp", "billingAddress", "digitalWallets", "mode",
    ]

    @Test func createReturns200WithEveryRequiredField() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let response = try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest(tag: "team-a"))
            #expect(response.status == 200)
            #expect(CardTests.requiredFields.isSubset(of: Set(response.object.keys)))
            #expect((response.object["state"] as? [String: Any])?["state"] as? String == "ACTIVE")
            #expect((response.object["balances"] as? [String: Any])?["availableBalance"] as? Int == 0)
            #expect(response.object["mode"] as? String == "PREPAID_MODE")
            let id = try #require(response.object["id"] as? String)
            #expect(try await client.send("GET", "/managed_cards/\(id)", token: token).object["tag"] as? String == "team-a")
        }
    }

    @Test func createValidatesBodyAndProfile() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            var body = Demo.cardRequest()
            body["friendlyName"] = nil
            body["billingAddress"] = ["addressLine1": "x", "city": "y", "postCode": "z", "country": "gb"]
            let invalid = try await client.send("POST", "/managed_cards", token: token, json: body)
            #expect(invalid.status == 400)
            let fields = (invalid.object["syntaxErrors"] as? [String: Any])?["invalidFields"] as? [[String: Any]] ?? []
            #expect(Set(fields.compactMap { $0["fieldName"] as? String }) == ["friendlyName", "billingAddress.country"])
            #expect(try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest(profile: "999")).errorCode == "PROFILE_NOT_FOUND")
            #expect(try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest(currency: "GBP")).errorCode == "CURRENCY_NOT_SUPPORTED_BY_PROFILE")
        }
    }

    @Test func listFiltersAndPaginates() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            for index in 0..<120 {
                #expect(try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest(name: "Bulk \(index)", tag: "many")).status == 200)
            }
            let capped = try await client.send("GET", "/managed_cards?tag=many&limit=500", token: token)
            #expect(capped.object["count"] as? Int == 120)
            #expect(capped.object["responseCount"] as? Int == 100)
            let tail = try await client.send("GET", "/managed_cards?tag=many&offset=110&limit=50", token: token)
            #expect(tail.object["responseCount"] as? Int == 10)
            #expect(((tail.object["cards"] as? [[String: Any]])?.first?["friendlyName"] as? String) == "Bulk 110")
            let blocked = try await client.send("GET", "/managed_cards?state=BLOCKED", token: token)
            #expect(blocked.object["count"] as? Int == 2)
            let gbp = try await client.send("GET", "/managed_cards?currency=GBP&mode=PREPAID_MODE&type=VIRTUAL", token: token)
            #expect(gbp.object["count"] as? Int == 1)
            let named = try await client.send("GET", "/managed_cards?friendlyName=Travel%20card", token: token)
            #expect(named.object["count"] as? Int == 1)
            #expect(try await client.send("GET", "/managed_cards?limit=0", token: token).status == 400)
        }
    }

    @Test func patchChangesOnlyGivenFields() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let response = try await client.send("PATCH", "/managed_cards/\(Demo.fundedCard)", token: token, json: ["friendlyName": "Renamed"])
            #expect(response.status == 200)
            #expect(response.object["friendlyName"] as? String == "Renamed")
            #expect(response.object["tag"] as? String == "travel")
            #expect(try await client.send("PATCH", "/managed_cards/\(Demo.fundedCard)", token: token, json: ["friendlyName": ""]).status == 400)
        }
    }

    @Test func blockUnblockRemoveFollowTheStateMachine() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let created = try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest())
            let id = try #require(created.object["id"] as? String)
            func post(_ action: String, _ card: String) async throws -> TestResponse { try await client.send("POST", "/managed_cards/\(card)/\(action)", token: token) }

            #expect(try await post("unblock", id).errorCode == "INSTRUMENT_NOT_BLOCKED")
            #expect(try await post("block", id).status == 204)
            let blocked = try await client.send("GET", "/managed_cards/\(id)", token: token).object["state"] as? [String: Any]
            #expect(blocked?["state"] as? String == "BLOCKED")
            #expect(blocked?["blockedReason"] as? String == "USER")
            #expect(try await post("block", id).errorCode == "INSTRUMENT_ALREADY_BLOCKED")
            #expect(try await post("unblock", id).status == 204)
            #expect(try await post("remove", id).status == 204)
            let destroyed = try await client.send("GET", "/managed_cards/\(id)", token: token).object["state"] as? [String: Any]
            #expect(destroyed?["state"] as? String == "DESTROYED")
            #expect(destroyed?["destroyedReason"] as? String == "USER")
            #expect(try await post("block", id).errorCode == "INSTRUMENT_DESTROYED")
            #expect(try await post("unblock", id).errorCode == "INSTRUMENT_DESTROYED")
            #expect(try await post("remove", id).errorCode == "INSTRUMENT_ALREADY_REMOVED")
            #expect(try await client.send("PATCH", "/managed_cards/\(id)", token: token, json: ["tag": "x"]).errorCode == "INSTRUMENT_DESTROYED")

            let system = try await post("unblock", Demo.systemBlockedCard)
            #expect(system.status == 403)
            #expect(system.errorCode == "INSUFFICIENT_PERMISSIONS")
            #expect(try await post("block", Demo.systemBlockedCard).errorCode == "INSTRUMENT_ALREADY_BLOCKED")
            #expect(try await post("unblock", Demo.userBlockedCard).status == 204)
        }
    }

    @Test func removingAFundedPrepaidCardIsRefused() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let response = try await client.send("POST", "/managed_cards/\(Demo.fundedCard)/remove", token: token)
            #expect(response.status == 409)
            #expect(response.errorCode == "BALANCE_NOT_ZERO")
            #expect(try await client.send("POST", "/managed_cards/\(Demo.debitCard)/remove", token: token).status == 204)
        }
    }

    @Test func anotherIdentitysCardIs404() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let response = try await client.send("GET", "/managed_cards/\(Demo.carolCard)", token: token)
            #expect(response.status == 404)
            #expect(response.object["code"] is String)
            #expect(response.object["message"] is String)
            #expect(try await client.send("POST", "/managed_cards/\(Demo.carolCard)/block", token: token).status == 404)
            let carol = try await client.login("carol@example.com", "Password3!")
            #expect(try await client.send("GET", "/managed_cards", token: carol).object["count"] as? Int == 1)
        }
    }

    @Test func accountsListAndGet() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let list = try await client.send("GET", "/managed_accounts?currency=EUR", token: token)
            #expect(list.object["count"] as? Int == 1)
            let account = try await client.send("GET", "/managed_accounts/\(Demo.eurAccount)", token: token)
            #expect((account.object["balances"] as? [String: Any])?["availableBalance"] as? Int == 500_000)
            #expect(try await client.send("GET", "/managed_accounts/1", token: token).status == 404)
        }
    }
}
