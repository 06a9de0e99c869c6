import Testing
import WeavrSimulator

struct PurchaseTests {
    static func purchase(card: String, amount: Int, merchant: String = "Coffee Shop", code: String = "5814") -> [String: Any] {
        ["cardId": card, "amount": amount, "currency": "EUR", "merchantName": merchant, "merchantCategoryCode": code]
    }

    @Test func aPurchaseHoldsTheAmountThenSettlesAndShowsInTheCardsTransactions() async throws {
        let clock = ManualSimulatorClock()
        try await withSimulator(clock: clock) { _, client async throws in
            let token = try await client.login()
            let card = Demo.card(Demo.fundedCard)
            let authorised = try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: Demo.fundedCard, amount: 1000))
            #expect(authorised.status == 201)
            #expect(authorised.object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            #expect(authorised.object["declineReason"] == nil)
            let id = try #require(authorised.object["id"] as? String)
            #expect(try await client.balances(card, token: token) == Balances(available: 1500, actual: 2500))

            let held = try #require(try await client.transactions(card, token: token).entries.first)
            #expect(held["id"] as? String == id)
            #expect(held["type"] as? String == "card_payments")
            #expect(held["status"] as? String == "PROCESSING")
            #expect(held["direction"] as? String == "DEBIT")
            #expect((held["amount"] as? [String: Any])?["amount"] as? Int == 1000)
            let pending = try #require(held["transaction"] as? [String: Any])
            #expect(pending["type"] as? String == "PURCHASE")
            #expect(pending["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            let merchant = pending["merchant"] as? [String: Any]
            #expect(merchant?["name"] as? String == "Coffee Shop" && merchant?["categoryCode"] as? String == "5814")
            #expect((merchant?["id"] as? String)?.isEmpty == false)
            #expect((pending["card"] as? [String: Any])?["id"] as? String == Demo.fundedCard)
            #expect((pending["events"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == ["AUTHORISATION"])
            #expect((pending["events"] as? [[String: Any]])?.first?["result"] as? String == "APPROVED")

            clock.advance(by: .seconds(60))
            let settled = try await client.admin("POST", "/_simulator/purchases/\(id)/settle")
            #expect(settled.status == 200 && settled.object["status"] as? String == "SETTLED")
            #expect(try await client.balances(card, token: token) == Balances(available: 1500, actual: 1500))
            let done = try #require(try await client.transactions(card, token: token, query: "type=card_payments&status=COMPLETED").entries.first)
            #expect(done["lastUpdatedTimestamp"] as? Int == Int(clock.nowMilliseconds()))
            let payment = try #require(done["transaction"] as? [String: Any])
            #expect(payment["status"] as? String == "SETTLED")
            #expect((payment["events"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == ["AUTHORISATION", "SETTLEMENT"])

            let again = try await client.admin("POST", "/_simulator/purchases/\(id)/settle")
            #expect(again.status == 409)
            #expect(try await client.admin("POST", "/_simulator/purchases/1/settle").status == 404)
            #expect(try await client.balances(card, token: token) == Balances(available: 1500, actual: 1500))
        }
    }

    @Test func aPurchaseOnABlockedCardIsDeclinedAndMovesNothing() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            #expect(try await client.send("POST", "/managed_cards/\(Demo.fundedCard)/block", token: token).status == 204)
            let declined = try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: Demo.fundedCard, amount: 100))
            #expect(declined.status == 201)
            #expect(declined.object["status"] as? String == "DECLINED")
            #expect(declined.object["declineReason"] as? String == "CARD_STATUS_NOT_ALLOWED")
            #expect(try await client.balances(Demo.card(Demo.fundedCard), token: token) == Balances(available: 2500, actual: 2500))

            let entry = try #require(try await client.transactions(Demo.card(Demo.fundedCard), token: token).entries.first)
            #expect(entry["status"] as? String == "CANCELLED")
            let payment = entry["transaction"] as? [String: Any]
            #expect(payment?["status"] as? String == "DECLINED")
            let event = (payment?["events"] as? [[String: Any]])?.first
            #expect(event?["result"] as? String == "DECLINED" && event?["declineReason"] as? String == "CARD_STATUS_NOT_ALLOWED")
            let id = try #require(declined.object["id"] as? String)
            #expect(try await client.admin("POST", "/_simulator/purchases/\(id)/settle").status == 409)
        }
    }

    @Test func aPurchaseBeyondTheAvailableBalanceIsDeclined() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let card = Demo.card(Demo.fundedCard)
            let first = try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: Demo.fundedCard, amount: 2000))
            #expect(first.object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            // 500 left available: the hold counts before settlement.
            let declined = try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: Demo.fundedCard, amount: 501))
            #expect(declined.object["status"] as? String == "DECLINED")
            #expect(declined.object["declineReason"] as? String == "INSUFFICIENT_BALANCE")
            #expect(try await client.balances(card, token: token) == Balances(available: 500, actual: 2500))
            // A transfer out sees the hold too.
            let transfer = try await client.send("POST", "/transfers", token: token, json: Demo.transfer(from: card, to: Demo.account(Demo.eurAccount), amount: 501))
            #expect(transfer.errorCode == "FUNDS_INSUFFICIENT")
            let entries = try await client.transactions(card, token: token, query: "sortOrder=ASC").entries
            #expect(entries.compactMap { $0["status"] as? String } == ["PROCESSING", "CANCELLED"])
        }
    }

    @Test func aCardFundedByATransferCanSpendAndADebitCardSpendsItsParentAccount() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let created = try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest(name: "Spender"))
            let card = Demo.card(try #require(created.object["id"] as? String))
            let empty = try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: card.0, amount: 300))
            #expect(empty.object["declineReason"] as? String == "INSUFFICIENT_BALANCE")
            #expect(try await client.send("POST", "/transfers", token: token, json: Demo.transfer(from: Demo.account(Demo.eurAccount), to: card, amount: 300)).status == 200)
            let paid = try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: card.0, amount: 300))
            #expect(paid.object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            #expect(try await client.balances(card, token: token) == Balances(available: 0, actual: 300))

            let debit = try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: Demo.debitCard, amount: 4000, merchant: "Hardware", code: "5251"))
            #expect(debit.object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            let account = Demo.account(Demo.eurAccount)
            #expect(try await client.balances(account, token: token) == Balances(available: 495_700, actual: 499_700))
            #expect(try await client.admin("POST", "/_simulator/purchases/\(try #require(debit.object["id"] as? String))/settle").status == 200)
            #expect(try await client.balances(account, token: token) == Balances(available: 495_700, actual: 495_700))
            let entry = try #require(try await client.transactions(Demo.card(Demo.debitCard), token: token).entries.first)
            #expect((entry["transaction"] as? [String: Any])?["status"] as? String == "SETTLED")
        }
    }

    @Test func badPurchasesAre400OrUnknownCards404() async throws {
        try await withSimulator { _, client async throws in
            #expect(try await client.admin("POST", "/_simulator/purchases", json: ["cardId": Demo.fundedCard]).status == 400)
            #expect(try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: Demo.fundedCard, amount: 0)).status == 400)
            #expect(try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: Demo.fundedCard, amount: 1, code: "coffee")).status == 400)
            var foreign = PurchaseTests.purchase(card: Demo.fundedCard, amount: 1)
            foreign["currency"] = "USD"
            #expect(try await client.admin("POST", "/_simulator/purchases", json: foreign).status == 400)
            #expect(try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: "1", amount: 1)).status == 404)
        }
        try await withSimulator(configure: { $0.adminRoutesEnabled = false }) { _, client async throws in
            #expect(try await client.admin("POST", "/_simulator/purchases", json: PurchaseTests.purchase(card: Demo.fundedCard, amount: 1)).status == 404)
        }
    }
}
