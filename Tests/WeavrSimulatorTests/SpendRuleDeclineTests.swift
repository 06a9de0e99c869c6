import Foundation
import Testing
import WeavrSimulator

/// Spend rules deciding simulated purchases (`POST /_simulator/purchases`) on the funded EUR card (2500).
struct SpendRuleDeclineTests {
    /// One rule and two purchases: one it refuses (with the decline code) and one it lets through.
    struct Case: Sendable, CustomTestStringConvertible {
        var rules: String
        var refused: String
        var allowed: String
        var code: String

        var testDescription: String { code + " " + rules }
    }

    /// A purchase body from JSON text fields merged over a 100 EUR coffee (MCC 5814, Malta, chip and PIN).
    static func purchase(_ fields: String, card: String = Demo.fundedCard) throws -> [String: Any] {
        var body: [String: Any] = [
            "cardId": card, "amount": 100, "currency": "EUR", "merchantName": "Coffee Shop", "merchantCategoryCode": "5814",
            "merchantId": "MID000000000001", "merchantCountry": "MT",
        ]
        let extra = try JSONSerialization.jsonObject(with: Data("{\(fields)}".utf8)) as? [String: Any] ?? [:]
        body.merge(extra) { _, new in new }
        return body
    }

    static func amount(_ fields: String) throws -> Int {
        try purchase(fields)["amount"] as? Int ?? 0
    }

    static let cases: [Case] = [
        Case(rules: #""blockedMerchantCategories": ["7995"]"#, refused: #""merchantCategoryCode": "7995""#, allowed: "", code: "SPEND_RULE_MCC_BLOCKED"),
        Case(rules: #""allowedMerchantCategories": ["5814"]"#, refused: #""merchantCategoryCode": "5411""#, allowed: "", code: "SPEND_RULE_MCC_NOT_ALLOWED"),
        // The blocked list wins over the allowed list.
        Case(rules: #""allowedMerchantCategories": ["5814", "5411"], "blockedMerchantCategories": ["5814"]"#, refused: "",
             allowed: #""merchantCategoryCode": "5411""#, code: "SPEND_RULE_MCC_BLOCKED"),
        Case(rules: #""blockedMerchantIds": ["MID000000000666"]"#, refused: #""merchantId": "MID000000000666""#, allowed: "", code: "SPEND_RULE_MERCHANT_BLOCKED"),
        Case(rules: #""allowedMerchantIds": ["MID000000000001"]"#, refused: #""merchantId": "MID000000000002""#, allowed: "", code: "SPEND_RULE_MERCHANT_NOT_ALLOWED"),
        Case(rules: #""blockedMerchantCountries": ["RU"]"#, refused: #""merchantCountry": "RU""#, allowed: "", code: "SPEND_RULE_COUNTRY_BLOCKED"),
        Case(rules: #""allowedMerchantCountries": ["MT", "IT"]"#, refused: #""merchantCountry": "FR""#, allowed: #""merchantCountry": "IT""#,
             code: "SPEND_RULE_COUNTRY_NOT_ALLOWED"),
        Case(rules: #""allowContactless": false"#, refused: #""channel": "contactless""#, allowed: #""channel": "ecommerce""#, code: "SPEND_RULE_CHANNEL_NOT_ALLOWED"),
        Case(rules: #""allowAtm": false"#, refused: #""channel": "atm""#, allowed: #""channel": "contactless""#, code: "SPEND_RULE_CHANNEL_NOT_ALLOWED"),
        Case(rules: #""allowECommerce": false"#, refused: #""channel": "ecommerce""#, allowed: #""channel": "chip_and_pin""#, code: "SPEND_RULE_CHANNEL_NOT_ALLOWED"),
        Case(rules: #""allowCashback": false, "allowAtm": true"#, refused: #""channel": "cashback""#, allowed: #""channel": "atm""#,
             code: "SPEND_RULE_CHANNEL_NOT_ALLOWED"),
        Case(rules: #""minTransactionAmount": 200"#, refused: #""amount": 199"#, allowed: #""amount": 200"#, code: "SPEND_RULE_AMOUNT_BELOW_MINIMUM"),
        Case(rules: #""maxTransactionAmount": 500"#, refused: #""amount": 501"#, allowed: #""amount": 500"#, code: "SPEND_RULE_AMOUNT_ABOVE_MAXIMUM"),
    ]

    @Test(arguments: cases)
    func aRuleDeclinesWhatItRefusesAndLetsTheRestThrough(_ rule: Case) async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let card = Demo.card(Demo.fundedCard)
            #expect(try await client.send("POST", SpendRulesTests.path(), token: token, rawBody: Array("{\(rule.rules)}".utf8)).status == 204)

            let declined = try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(rule.refused))
            #expect(declined.status == 201)
            #expect(declined.object["status"] as? String == "DECLINED" && declined.object["declineReason"] as? String == rule.code, "\(declined.text)")
            #expect(try await client.balances(card, token: token) == Balances(available: 2500, actual: 2500))
            let entry = try #require(try await client.transactions(card, token: token).entries.first)
            #expect(entry["status"] as? String == "CANCELLED")
            let payment = entry["transaction"] as? [String: Any]
            #expect(payment?["status"] as? String == "DECLINED")
            let event = (payment?["events"] as? [[String: Any]])?.first
            #expect(event?["result"] as? String == "DECLINED")
            #expect(event?["declineReason"] as? String == "AUTH_RULE_CHECKS_FAILED" && event?["authRuleFailedReason"] as? String == rule.code)

            let allowed = try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(rule.allowed))
            #expect(allowed.object["status"] as? String == "SETTLEMENT_IN_PROGRESS" && allowed.object["declineReason"] == nil, "\(allowed.text)")
            let held = try Self.amount(rule.allowed)
            #expect(try await client.balances(card, token: token) == Balances(available: 2500 - held, actual: 2500))
        }
    }

    @Test func withoutARuleEveryChannelAndCountryIsAllowedAndDeletingRulesLiftsThem() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            for channel in ["chip_and_pin", "contactless", "atm", "ecommerce", "cashback"] {
                let purchase = try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""channel": "\#(channel)", "amount": 10"#))
                #expect(purchase.object["status"] as? String == "SETTLEMENT_IN_PROGRESS", "\(channel)")
            }
            #expect(try await client.send("POST", SpendRulesTests.path(), token: token, json: ["allowContactless": false]).status == 204)
            let refused = try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""channel": "contactless""#))
            #expect(refused.object["declineReason"] as? String == "SPEND_RULE_CHANNEL_NOT_ALLOWED")
            #expect(try await client.send("DELETE", SpendRulesTests.path(), token: token).status == 204)
            let lifted = try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""channel": "contactless""#))
            #expect(lifted.object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            // A purchase without a country meets an allowed-countries list as "not allowed".
            #expect(try await client.send("POST", SpendRulesTests.path(), token: token, json: ["allowedMerchantCountries": ["MT"]]).status == 204)
            var unknown = try Self.purchase("")
            unknown["merchantCountry"] = nil
            #expect(try await client.admin("POST", "/_simulator/purchases", json: unknown).object["declineReason"] as? String == "SPEND_RULE_COUNTRY_NOT_ALLOWED")
            #expect(try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""channel": "online""#)).status == 400)
            #expect(try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""merchantCountry": "mt""#)).status == 400)
        }
    }

    /// A 1000 limit per `interval`, from 2025-01-01T00:00Z (a Wednesday): `inside` later the window still
    /// holds what was spent; `next` later (from the start) a new window has begun (nil: it never does).
    struct Window: Sendable, CustomTestStringConvertible {
        var interval: String
        var insideDays: Int
        var nextDays: Int?

        var testDescription: String { interval }
    }

    @Test(arguments: [
        Window(interval: "DAILY", insideDays: 0, nextDays: 1),
        Window(interval: "WEEKLY", insideDays: 4, nextDays: 5),          // Sunday 5 Jan → Monday 6 Jan
        Window(interval: "MONTHLY", insideDays: 30, nextDays: 31),       // 31 Jan → 1 Feb
        Window(interval: "QUARTERLY", insideDays: 89, nextDays: 90),     // 31 Mar → 1 Apr
        Window(interval: "YEARLY", insideDays: 364, nextDays: 365),      // 31 Dec → 1 Jan 2026
        Window(interval: "ALWAYS", insideDays: 400, nextDays: nil),
    ])
    func aSpendLimitCountsApprovedPurchasesInTheCurrentWindow(_ window: Window) async throws {
        let clock = ManualSimulatorClock()
        try await withSimulator(clock: clock) { _, client async throws in
            let token = try await client.login()
            let rules: [String: Any] = ["spendLimit": [SpendRulesTests.limit(1000, window.interval)]]
            #expect(try await client.send("POST", SpendRulesTests.path(), token: token, json: rules).status == 204)
            func buy(_ amount: Int) async throws -> TestResponse {
                try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""amount": \#(amount)"#))
            }
            let first = try await buy(600)
            #expect(first.object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            #expect(try await client.admin("POST", "/_simulator/purchases/\(try #require(first.object["id"] as? String))/settle").status == 200)
            let over = try await buy(500)
            #expect(over.object["status"] as? String == "DECLINED" && over.object["declineReason"] as? String == "SPEND_LIMIT_EXCEEDED")
            // Declines spend nothing: 600 + 400 fits exactly.
            #expect(try await buy(400).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")

            // Just before the window ends (23:59:59 of its last day) it is still full.
            clock.advance(by: .seconds(window.insideDays * 86_400 + 86_399))
            #expect(try await buy(1).object["declineReason"] as? String == "SPEND_LIMIT_EXCEEDED")
            guard let nextDays = window.nextDays else { return }
            clock.advance(by: .seconds((nextDays - window.insideDays - 1) * 86_400 + 1))
            #expect(try await buy(1000).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            #expect(try await buy(1).object["declineReason"] as? String == "SPEND_LIMIT_EXCEEDED")
        }
    }

    @Test func incrementingAnAlwaysLimitAddsToWhatIsLeft() async throws {
        let clock = ManualSimulatorClock()
        try await withSimulator(clock: clock) { _, client async throws in
            let first = try await client.login()
            #expect(try await client.send("POST", SpendRulesTests.path(), token: first, json: ["spendLimit": [SpendRulesTests.limit(1000, "ALWAYS")]]).status == 204)
            #expect(try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""amount": 800"#)).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            clock.advance(by: .seconds(40 * 86_400))
            let token = try await client.login()   // the first one expired while idle
            let increment: [String: Any] = ["updateSpendLimitMethod": "INCREMENT", "spendLimit": [SpendRulesTests.limit(500, "ALWAYS")]]
            #expect(try await client.send("PATCH", SpendRulesTests.path(), token: token, json: increment).status == 204)
            // 200 unused + 500 added.
            #expect(try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""amount": 701"#)).object["declineReason"] as? String == "SPEND_LIMIT_EXCEEDED")
            #expect(try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""amount": 700"#)).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            // OVERWRITE sets a new limit, counted from now.
            clock.advance(by: .seconds(1))
            #expect(try await client.send("PATCH", SpendRulesTests.path(), token: token, json: ["spendLimit": [SpendRulesTests.limit(300, "ALWAYS")]]).status == 204)
            #expect(try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""amount": 300"#)).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            #expect(try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""amount": 1"#)).object["declineReason"] as? String == "SPEND_LIMIT_EXCEEDED")
        }
    }

    @Test func aDebitCardsLimitCapsSpendingFromItsParentAccount() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let path = SpendRulesTests.path(Demo.debitCard)
            #expect(try await client.send("POST", path, token: token, json: ["spendLimit": [SpendRulesTests.limit(5000, "DAILY")]]).status == 204)
            let within = try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""amount": 5000"#, card: Demo.debitCard))
            #expect(within.object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            let beyond = try await client.admin("POST", "/_simulator/purchases", json: try Self.purchase(#""amount": 1"#, card: Demo.debitCard))
            #expect(beyond.object["declineReason"] as? String == "SPEND_LIMIT_EXCEEDED")
            #expect(try await client.balances(Demo.account(Demo.eurAccount), token: token) == Balances(available: 495_000, actual: 500_000))
        }
    }
}
