import Testing
import WeavrSimulator

struct SpendRulesTests {
    static func path(_ card: String = Demo.fundedCard) -> String { "/managed_cards/\(card)/spend_rules" }

    static func limit(_ amount: Int, _ interval: String, currency: String = "EUR") -> [String: Any] {
        ["value": ["currency": currency, "amount": amount], "interval": interval]
    }

    /// `cardLevelSpendRules` of `GET …/spend_rules`, after checking the answer is 200.
    static func cardLevel(_ client: TestClient, token: String, card: String = Demo.fundedCard) async throws -> [String: Any] {
        let response = try await client.send("GET", path(card), token: token)
        try #require(response.status == 200, "\(response.status) \(response.text)")
        return try #require(response.object["cardLevelSpendRules"] as? [String: Any])
    }

    @Test func rulesAreCreatedReadPatchedFieldByFieldAndDeleted() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let none = try await client.send("GET", Self.path(), token: token)
            #expect(none.status == 200)
            #expect((none.object["cardLevelSpendRules"] as? [String: Any])?.isEmpty == true)

            let rules: [String: Any] = [
                "allowedMerchantCategories": ["5814", "5812"], "blockedMerchantCountries": ["RU"], "allowAtm": false,
                "minTransactionAmount": 100, "maxTransactionAmount": 5000, "rolloverPolicy": ["rolloverNegative": true],
                "spendLimit": [Self.limit(10_000, "MONTHLY"), Self.limit(1000, "DAILY")],
            ]
            #expect(try await client.send("POST", Self.path(), token: token, json: rules).status == 204)
            var stored = try await Self.cardLevel(client, token: token)
            #expect(stored["allowedMerchantCategories"] as? [String] == ["5814", "5812"])
            #expect(stored["blockedMerchantCountries"] as? [String] == ["RU"])
            #expect(stored["allowAtm"] as? Bool == false && stored["allowContactless"] == nil)
            #expect(stored["minTransactionAmount"] as? Int == 100 && stored["maxTransactionAmount"] as? Int == 5000)
            #expect((stored["rolloverPolicy"] as? [String: Any])?["rolloverNegative"] as? Bool == true)
            let limits = try #require(stored["spendLimit"] as? [[String: Any]])
            #expect(limits.compactMap { $0["interval"] as? String } == ["MONTHLY", "DAILY"])
            #expect(limits.compactMap { ($0["value"] as? [String: Any])?["amount"] as? Int } == [10_000, 1000])

            let again = try await client.send("POST", Self.path(), token: token, json: ["allowAtm": true])
            #expect(again.status == 409 && again.errorCode == "SPEND_RULE_ALREADY_SET")

            // Fields present replace the stored ones; absent fields stay.
            #expect(try await client.send("PATCH", Self.path(), token: token, json: ["allowAtm": true, "blockedMerchantCategories": ["7995"]]).status == 204)
            stored = try await Self.cardLevel(client, token: token)
            #expect(stored["allowAtm"] as? Bool == true && stored["blockedMerchantCategories"] as? [String] == ["7995"])
            #expect(stored["allowedMerchantCategories"] as? [String] == ["5814", "5812"] && stored["maxTransactionAmount"] as? Int == 5000)

            // INCREMENT adds to the limit of the same interval and appends new intervals; OVERWRITE (default) replaces the list.
            let increment: [String: Any] = ["updateSpendLimitMethod": "INCREMENT", "spendLimit": [Self.limit(500, "DAILY"), Self.limit(50_000, "YEARLY")]]
            #expect(try await client.send("PATCH", Self.path(), token: token, json: increment).status == 204)
            stored = try await Self.cardLevel(client, token: token)
            let incremented = (stored["spendLimit"] as? [[String: Any]] ?? []).map { ($0["interval"] as? String ?? "", ($0["value"] as? [String: Any])?["amount"] as? Int ?? -1) }
            #expect(incremented.map(\.0) == ["MONTHLY", "DAILY", "YEARLY"] && incremented.map(\.1) == [10_000, 1500, 50_000])
            #expect(try await client.send("PATCH", Self.path(), token: token, json: ["spendLimit": [Self.limit(700, "WEEKLY")]]).status == 204)
            stored = try await Self.cardLevel(client, token: token)
            #expect((stored["spendLimit"] as? [[String: Any]])?.compactMap { $0["interval"] as? String } == ["WEEKLY"])
            #expect(stored["allowAtm"] as? Bool == true)

            // The deprecated top-level copy is the effective view: the card's own rules here.
            let all = try await client.send("GET", Self.path(), token: token)
            #expect(all.object["allowAtm"] as? Bool == true)

            #expect(try await client.send("DELETE", Self.path(), token: token).status == 204)
            #expect(try await Self.cardLevel(client, token: token).isEmpty)
            #expect(try await client.send("POST", Self.path(), token: token, json: ["allowAtm": false]).status == 204)
        }
    }

    /// Bodies as JSON text (test arguments must be `Sendable`).
    @Test(arguments: [
        (#"{"allowedMerchantCountries": ["gb"]}"#, "allowedMerchantCountries[0]"),
        (#"{"blockedMerchantCountries": [\#(Array(repeating: "\"GB\"", count: 51).joined(separator: ","))]}"#, "blockedMerchantCountries"),
        (#"{"allowedMerchantCategories": "5814"}"#, "allowedMerchantCategories"),
        (#"{"minTransactionAmount": -1}"#, "minTransactionAmount"),
        (#"{"maxTransactionAmount": 1.5}"#, "maxTransactionAmount"),
        (#"{"allowContactless": "no"}"#, "allowContactless"),
        (#"{"rolloverPolicy": {}}"#, "rolloverPolicy.rolloverNegative"),
        (#"{"spendLimit": [{"value": {"currency": "EUR", "amount": 100}, "interval": "HOURLY"}]}"#, "spendLimit[0].interval"),
        (#"{"spendLimit": [{"interval": "DAILY"}]}"#, "spendLimit[0].value"),
        (#"{"spendLimit": [{"value": {"currency": "EUR"}, "interval": "DAILY"}]}"#, "spendLimit[0].value.amount"),
    ])
    func schemaViolationsAre400WithTheField(body: String, field: String) async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            for method in ["POST", "PATCH"] {
                let response = try await client.send(method, Self.path(), token: token, rawBody: Array(body.utf8))
                #expect(response.status == 400, "\(method) \(response.text)")
                let fields = (response.object["syntaxErrors"] as? [String: Any])?["invalidFields"] as? [[String: Any]] ?? []
                #expect(fields.compactMap { $0["fieldName"] as? String } == [field], "\(method) \(response.text)")
            }
            let method = try await client.send("PATCH", Self.path(), token: token, json: ["updateSpendLimitMethod": "ADD"])
            #expect(method.status == 400)
            #expect(try await client.send("POST", Self.path(), token: token, rawBody: Array("[1]".utf8)).status == 400)
            #expect(try await Self.cardLevel(client, token: token).isEmpty)
        }
    }

    @Test(arguments: [
        (#"[{"value": {"currency": "GBP", "amount": 100}, "interval": "DAILY"}]"#, "SPEND_LIMIT_CURRENCY_DIFFERENT_FROM_CARD_CURRENCY"),
        (#"[{"value": {"currency": "EUR", "amount": 100}, "interval": "DAILY"}, {"value": {"currency": "EUR", "amount": 200}, "interval": "DAILY"}]"#,
         "SPEND_LIMIT_DUPLICATE_INTERVAL"),
        (#"[{"value": {"currency": "EUR", "amount": -1}, "interval": "WEEKLY"}]"#, "SPEND_LIMIT_AMOUNT_INVALID"),
    ])
    func spendLimitConflictsAre409OnCreateAndUpdate(limits: String, code: String) async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let body = Array(#"{"spendLimit": \#(limits)}"#.utf8)
            let created = try await client.send("POST", Self.path(), token: token, rawBody: body)
            #expect(created.status == 409 && created.errorCode == code)
            #expect(try await Self.cardLevel(client, token: token).isEmpty)
            #expect(try await client.send("POST", Self.path(), token: token, json: ["allowAtm": false]).status == 204)
            let updated = try await client.send("PATCH", Self.path(), token: token, rawBody: body)
            #expect(updated.status == 409 && updated.errorCode == code)
            #expect(try await Self.cardLevel(client, token: token)["spendLimit"] == nil)
        }
    }

    @Test func anotherIdentitysCardIs404AndPatchNeedsRulesFirst() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let carol = Self.path(Demo.carolCard)
            #expect(try await client.send("GET", carol, token: token).status == 404)
            #expect(try await client.send("POST", carol, token: token, json: ["allowAtm": false]).status == 404)
            #expect(try await client.send("PATCH", carol, token: token, json: ["allowAtm": false]).status == 404)
            #expect(try await client.send("DELETE", carol, token: token).status == 404)
            #expect(try await client.send("GET", Self.path("1"), token: token).status == 404)
            // "Must be used after a POST".
            #expect(try await client.send("PATCH", Self.path(), token: token, json: ["allowAtm": false]).status == 404)
            #expect(try await client.send("GET", Self.path()).status == 401)
            let carolToken = try await client.login("carol@example.com", "Password3!")
            #expect(try await client.send("POST", carol, token: carolToken, json: ["allowAtm": false]).status == 204)
            #expect(try await Self.cardLevel(client, token: token).isEmpty)
        }
    }

    @Test func createAndIncrementAreIdempotentWithAnIdempotencyRef() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let body: [String: Any] = ["spendLimit": [Self.limit(1000, "ALWAYS")]]
            for _ in 0..<2 {
                #expect(try await client.send("POST", Self.path(), token: token, headers: ["idempotency-ref": "rules-1"], json: body).status == 204)
            }
            let increment: [String: Any] = ["updateSpendLimitMethod": "INCREMENT", "spendLimit": [Self.limit(250, "ALWAYS")]]
            for _ in 0..<2 {
                #expect(try await client.send("PATCH", Self.path(), token: token, headers: ["idempotency-ref": "rules-2"], json: increment).status == 204)
            }
            let limits = try await Self.cardLevel(client, token: token)["spendLimit"] as? [[String: Any]]
            #expect(limits?.compactMap { ($0["value"] as? [String: Any])?["amount"] as? Int } == [1250])
            let reused = try await client.send("PATCH", Self.path(), token: token, headers: ["idempotency-ref": "rules-2"], json: ["allowAtm": true])
            #expect(reused.status == 409 && reused.errorCode == "IDEMPOTENCY_REF_CONFLICT")
        }
    }
}
