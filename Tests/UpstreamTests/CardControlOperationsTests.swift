import Foundation
import Testing
import Upstream

@Suite struct CardControlOperationsTests {
    static let address = DeliveryAddress(name: "Alice", surname: "Admin", addressLine1: "1 Main St", city: "London", postCode: "N1 1AA", country: "GB")

    @Test func spendRulesRoundTripThroughTheTypedClientAndDeclinePurchases() async throws {
        try await withUpstream { harness in
            let client = harness.client
            let token = try await harness.login()
            let card = Demo.fundedCard
            #expect(try await client.getSpendRules(token: token, id: card).value.cardLevelSpendRules == SpendRules())

            let rules = SpendRules(
                blockedMerchantCategories: ["7995"], allowedMerchantCountries: ["MT"], allowAtm: false, maxTransactionAmount: 2000,
                spendLimit: [SpendLimit(value: CurrencyAmount(currency: "EUR", amount: 1000), interval: "DAILY")]
            )
            let created = try await client.createSpendRules(token: token, id: card, rules: rules, idempotencyRef: "rules-1")
            #expect(created.status == 204)
            #expect(try await client.createSpendRules(token: token, id: card, rules: rules, idempotencyRef: "rules-1").status == 204)
            #expect(try await client.getSpendRules(token: token, id: card).value.cardLevelSpendRules == rules)
            let already = await weavrError { () async throws(WeavrError) in try await client.createSpendRules(token: token, id: card, rules: rules) }
            #expect(already?.kind == .conflict(code: "SPEND_RULE_ALREADY_SET"))

            let increment = SpendRules(allowAtm: true, spendLimit: [SpendLimit(value: CurrencyAmount(currency: "EUR", amount: 500), interval: "DAILY")],
                                       updateSpendLimitMethod: "INCREMENT")
            #expect(try await client.updateSpendRules(token: token, id: card, rules: increment, idempotencyRef: "rules-2").status == 204)
            #expect(try await client.updateSpendRules(token: token, id: card, rules: increment, idempotencyRef: "rules-2").status == 204)
            let updated = try #require(try await client.getSpendRules(token: token, id: card).value.cardLevelSpendRules)
            #expect(updated.allowAtm == true && updated.blockedMerchantCategories == ["7995"] && updated.maxTransactionAmount == 2000)
            #expect(updated.spendLimit == [SpendLimit(value: CurrencyAmount(currency: "EUR", amount: 1500), interval: "DAILY")])
            let currency = await weavrError { () async throws(WeavrError) in
                try await client.updateSpendRules(token: token, id: card, rules: SpendRules(spendLimit: [SpendLimit(value: CurrencyAmount(currency: "GBP", amount: 1), interval: "DAILY")]))
            }
            #expect(currency?.kind == .conflict(code: "SPEND_LIMIT_CURRENCY_DIFFERENT_FROM_CARD_CURRENCY"))
            let invalid = await weavrError { () async throws(WeavrError) in
                try await client.updateSpendRules(token: token, id: card, rules: SpendRules(allowedMerchantCountries: ["malta"]))
            }
            guard case .badRequest(let fields)? = invalid?.kind else { Issue.record("expected 400, got \(String(describing: invalid))"); return }
            #expect(fields.map(\.fieldName) == ["allowedMerchantCountries[0]"])

            let blocked = try await harness.adminPost("/_simulator/purchases", [
                "cardId": card, "amount": 100, "currency": "EUR", "merchantName": "Casino", "merchantCategoryCode": "7995", "merchantCountry": "MT",
            ])
            #expect(blocked["status"] as? String == "DECLINED" && blocked["declineReason"] as? String == "SPEND_RULE_MCC_BLOCKED")
            var payments = TransactionFilter()
            payments.types = ["card_payments"]
            let entry = try #require(try await client.transactions(token: token, of: InstrumentRef(id: card, type: .managedCards), filter: payments).value.items.first)
            #expect(entry.status == "CANCELLED" && entry.transaction?.status == "DECLINED")

            #expect(try await client.deleteSpendRules(token: token, id: card).status == 204)
            #expect(try await client.getSpendRules(token: token, id: card).value.cardLevelSpendRules == SpendRules())
            let foreign = await weavrError { () async throws(WeavrError) in try await client.getSpendRules(token: token, id: "100000000000000311") }
            #expect(foreign?.kind == .notFound(code: "NOT_FOUND"))
        }
    }

    @Test func physicalCardLifecycleThroughTheTypedClient() async throws {
        try await withUpstream { harness in
            let client = harness.client
            let token = try await harness.login()
            let card = Demo.fundedCard
            let body = PhysicalUpgradeBody(deliveryMethod: "REGISTERED_MAIL", deliveryAddress: Self.address, activationCode: "2580")
            let upgraded = try await client.upgradeToPhysical(token: token, id: card, body: body, idempotencyRef: "up-1").value
            #expect(upgraded.type == "PHYSICAL")
            let details = try #require(upgraded.physicalCardDetails)
            #expect(details.pendingActivation && details.pinBlocked == false && details.manufacturingState == "REQUESTED")
            #expect(details.deliveryMethod == "REGISTERED_MAIL" && details.productReference?.isEmpty == false)
            #expect(try await client.upgradeToPhysical(token: token, id: card, body: body, idempotencyRef: "up-1").value == upgraded)
            let again = await weavrError { () async throws(WeavrError) in try await client.upgradeToPhysical(token: token, id: card, body: body) }
            #expect(again?.kind == .conflict(code: "INSTRUMENT_ALREADY_UPGRADED_TO_PHYSICAL"))

            let early = await weavrError { () async throws(WeavrError) in try await client.physicalPin(token: token, id: card) }
            #expect(early?.kind == .conflict(code: "PHYSICAL_CARD_NOT_ACTIVATED"))
            let wrong = await weavrError { () async throws(WeavrError) in try await client.activatePhysical(token: token, id: card, activationCode: "1111") }
            #expect(wrong?.kind == .conflict(code: "ACTIVATION_CODE_INVALID"))
            let activated = try await client.activatePhysical(token: token, id: card, activationCode: "2580", idempotencyRef: "act-1").value
            #expect(activated.physicalCardDetails?.pendingActivation == false && activated.physicalCardDetails?.manufacturingState == "DELIVERED")

            let pin = try await client.physicalPin(token: token, id: card).value
            let showsDigits = pin.pin.value.contains { $0.isNumber }
            #expect(!showsDigits, "a token, never the PIN")
            #expect(try await harness.adminPost("/_simulator/cards/\(card)/pin_block", [:]).isEmpty)
            #expect(try await client.getCard(token: token, id: card).value.physicalCardDetails?.pinBlocked == true)
            #expect(try await client.unblockPhysicalPin(token: token, id: card).status == 204)
            #expect(try await client.getCard(token: token, id: card).value.physicalCardDetails?.pinBlocked == false)

            #expect(try await client.replaceDamagedPhysical(token: token, id: card, activationCode: "1357", idempotencyRef: "dmg-1").status == 204)
            let pending = await weavrError { () async throws(WeavrError) in try await client.replaceDamagedPhysical(token: token, id: card, activationCode: "1357") }
            #expect(pending?.kind == .conflict(code: "INSTRUMENT_ALREADY_PENDING_REPLACEMENT"))

            let notLost = await weavrError { () async throws(WeavrError) in try await client.replaceLostStolenPhysical(token: token, id: card, activationCode: "1") }
            #expect(notLost?.kind == .conflict(code: "INSTRUMENT_NOT_MARKED_LOST_OR_STOLEN"))
            #expect(try await client.reportPhysical(token: token, id: card, stolen: false, idempotencyRef: "lost-1").status == 204)
            let lostAgain = await weavrError { () async throws(WeavrError) in try await client.reportPhysical(token: token, id: card, stolen: true) }
            #expect(lostAgain?.kind == .conflict(code: "INSTRUMENT_ALREADY_MARKED_LOST"))
            #expect(try await client.getCard(token: token, id: card).value.state.blockedReason == "LOST")

            let replacement = try await client.replaceLostStolenPhysical(token: token, id: card, activationCode: "9999", idempotencyRef: "rep-1").value
            #expect(replacement.id != card && replacement.type == "PHYSICAL" && replacement.physicalCardDetails?.pendingActivation == true)
            #expect(replacement.balances == InstrumentBalances(availableBalance: 2500, actualBalance: 2500))
            let old = try await client.getCard(token: token, id: card).value
            #expect(old.state.state == "DESTROYED" && old.state.destroyedReason == "LOST")
            let twice = await weavrError { () async throws(WeavrError) in try await client.replaceLostStolenPhysical(token: token, id: card, activationCode: "9999") }
            #expect(twice?.kind == .conflict(code: "INSTRUMENT_ALREADY_REPLACED"))
            let virtual = await weavrError { () async throws(WeavrError) in try await client.reportPhysical(token: token, id: Demo.emptyGBPCard, stolen: true) }
            #expect(virtual?.kind == .conflict(code: "INSTRUMENT_NOT_PHYSICAL"))
        }
    }
}
