import Foundation
import NIOFreeHTTP
import Testing
import Upstream

@Suite struct TransferOperationsTests {
    static let account = InstrumentRef(id: Demo.eurAccount, type: .managedAccounts)
    static let card = InstrumentRef(id: Demo.fundedCard, type: .managedCards)

    static func body(from source: InstrumentRef, to destination: InstrumentRef, amount: Int64, currency: String = "EUR") -> TransferCreateBody {
        TransferCreateBody(
            profileId: Demo.transferProfile, tag: "client", source: source, destination: destination,
            destinationAmount: CurrencyAmount(currency: currency, amount: amount), description: "From the typed client"
        )
    }

    @Test func createListGetDecodeTheTransferAndMoveTheBalances() async throws {
        try await withUpstream { harness in
            let client = harness.client
            let token = try await harness.login()
            let created = try await client.createTransfer(
                token: token, body: Self.body(from: Self.account, to: Self.card, amount: 1500), idempotencyRef: "transfer-1"
            )
            let transfer = created.value
            #expect(created.status == 200 && created.requestRef?.hasPrefix("sim-") == true)
            #expect(transfer.state == "COMPLETED" && transfer.profileId == Demo.transferProfile && transfer.tag == "client")
            #expect(transfer.source == Self.account && transfer.destination == Self.card)
            #expect(transfer.destinationAmount == CurrencyAmount(currency: "EUR", amount: 1500))
            #expect(transfer.description == "From the typed client")
            #expect(transfer.creationTimestamp > 0 && transfer.executionTimestamp == String(transfer.creationTimestamp))

            let replayed = try await client.createTransfer(
                token: token, body: Self.body(from: Self.account, to: Self.card, amount: 1500), idempotencyRef: "transfer-1"
            )
            #expect(replayed.value == transfer)
            #expect(try await client.getCard(token: token, id: Demo.fundedCard).value.balances == InstrumentBalances(availableBalance: 4000, actualBalance: 4000))
            #expect(try await client.getAccount(token: token, id: Demo.eurAccount).value.balances.availableBalance == 498_500)

            let listed = try await client.listTransfers(token: token, states: ["COMPLETED"], offset: 0, limit: 10).value
            #expect(listed.items == [transfer] && listed.count == 1 && listed.responseCount == 1)
            #expect(try await client.listTransfers(token: token, states: ["PENDING"]).value.count == 0)
            #expect(try await client.getTransfer(token: token, id: transfer.id).value == transfer)

            let missing = await weavrError { () async throws(WeavrError) in try await client.getTransfer(token: token, id: "1") }
            #expect(missing?.kind == .notFound(code: "NOT_FOUND"))
            let short = await weavrError { () async throws(WeavrError) in
                try await client.createTransfer(token: token, body: Self.body(from: Self.card, to: Self.account, amount: 1_000_000))
            }
            #expect(short?.kind == .conflict(code: "FUNDS_INSUFFICIENT"))
            let mismatch = await weavrError { () async throws(WeavrError) in
                try await client.createTransfer(token: token, body: Self.body(from: Self.account, to: Self.card, amount: 10, currency: "GBP"))
            }
            #expect(mismatch?.kind == .conflict(code: "CURRENCY_MISMATCH"))
        }
    }

    @Test func transactionsShowBothSidesOfATransferAndACardPurchase() async throws {
        try await withUpstream { harness in
            let client = harness.client
            let token = try await harness.login()
            let transfer = try await client.createTransfer(token: token, body: Self.body(from: Self.account, to: Self.card, amount: 500)).value

            let credit = try await client.transactions(token: token, of: Self.card).value
            #expect(credit.count == 1)
            let entry = try #require(credit.items.first)
            #expect(entry.id == transfer.id && entry.type == "transfers" && entry.status == "COMPLETED" && entry.direction == "CREDIT")
            #expect(entry.amount == CurrencyAmount(currency: "EUR", amount: 500))
            #expect(entry.transaction?.status == "COMPLETED")
            #expect(entry.transaction?.source == Self.account && entry.transaction?.destination == Self.card)
            let debit = try await client.transactions(token: token, of: Self.account).value
            #expect(debit.items.map(\.direction) == ["DEBIT"])

            let purchase = try await harness.adminPost("/_simulator/purchases", [
                "cardId": Demo.fundedCard, "amount": 800, "currency": "EUR", "merchantName": "Coffee Shop", "merchantCategoryCode": "5814",
            ])
            #expect(purchase["status"] as? String == "SETTLEMENT_IN_PROGRESS")

            var payments = TransactionFilter()
            payments.types = ["card_payments"]
            let held = try #require(try await client.transactions(token: token, of: Self.card, filter: payments).value.items.first)
            #expect(held.status == "PROCESSING" && held.direction == "DEBIT")
            #expect(held.transaction?.type == "PURCHASE" && held.transaction?.status == "SETTLEMENT_IN_PROGRESS")
            #expect(held.transaction?.merchant?.name == "Coffee Shop" && held.transaction?.merchant?.categoryCode == "5814")

            var filter = TransactionFilter()
            filter.direction = "DEBIT"
            filter.sortOrder = "ASC"
            filter.createdFrom = transfer.creationTimestamp
            let debits = try await client.transactions(token: token, of: Self.card, filter: filter, offset: 0, limit: 10).value
            #expect(debits.items.map(\.type) == ["card_payments"])
            var credits = TransactionFilter()
            credits.direction = "CREDIT"
            credits.statuses = ["COMPLETED"]
            #expect(try await client.transactions(token: token, of: Self.card, filter: credits).value.items.map(\.id) == [transfer.id])

            let foreign = await weavrError { () async throws(WeavrError) in
                try await client.transactions(token: token, of: InstrumentRef(id: "100000000000000311", type: .managedCards))
            }
            #expect(foreign?.kind == .notFound(code: "NOT_FOUND"))
        }
    }
}

extension UpstreamHarness {
    /// A test-only `/_simulator/*` POST (no api-key); the JSON object it answers.
    func adminPost(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        let request = HTTPClientRequest(
            method: "POST", url: baseURL + path, headers: ["content-type": "application/json"],
            body: Array(try JSONSerialization.data(withJSONObject: body))
        )
        let response = try await http.execute(request, timeout: .seconds(5))
        // A 204 (e.g. `…/pin_block`) has no body: an empty object.
        return response.body.isEmpty ? [:] : (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }
}
