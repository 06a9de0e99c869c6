import Foundation
import Testing
import WeavrSimulator

struct TransferTests {
    static let transferFields: Set<String> = [
        "id", "profileId", "source", "destination", "destinationAmount", "state", "creationTimestamp", "executionTimestamp",
    ]

    @Test func accountToCardMovesBothBalancesAndAnswersTheCompletedTransfer() async throws {
        let clock = ManualSimulatorClock()
        try await withSimulator(clock: clock) { _, client async throws in
            let token = try await client.login()
            let account = Demo.account(Demo.eurAccount)
            let card = Demo.card(Demo.fundedCard)
            #expect(try await client.balances(account, token: token) == Balances(available: 500_000, actual: 500_000))
            #expect(try await client.balances(card, token: token) == Balances(available: 2500, actual: 2500))

            var body = Demo.transfer(from: account, to: card, amount: 1000, tag: "top-up")
            body["description"] = "Top up #1"
            let response = try await client.send("POST", "/transfers", token: token, json: body)
            #expect(response.status == 200)
            let transfer = response.object
            #expect(TransferTests.transferFields.isSubset(of: Set(transfer.keys)))
            #expect((transfer["id"] as? String)?.allSatisfy(\.isNumber) == true)
            #expect(transfer["state"] as? String == "COMPLETED")
            #expect(transfer["profileId"] as? String == Demo.transferProfile)
            #expect(transfer["tag"] as? String == "top-up")
            #expect(transfer["description"] as? String == "Top up #1")
            #expect(transfer["creationTimestamp"] as? Int == Int(clock.nowMilliseconds()))
            #expect(transfer["executionTimestamp"] as? String == String(clock.nowMilliseconds()))
            #expect((transfer["source"] as? [String: String]) == ["id": Demo.eurAccount, "type": "managed_accounts"])
            #expect((transfer["destination"] as? [String: String]) == ["id": Demo.fundedCard, "type": "managed_cards"])
            let amount = transfer["destinationAmount"] as? [String: Any]
            #expect(amount?["currency"] as? String == "EUR" && amount?["amount"] as? Int == 1000)

            #expect(try await client.balances(account, token: token) == Balances(available: 499_000, actual: 499_000))
            #expect(try await client.balances(card, token: token) == Balances(available: 3500, actual: 3500))
        }
    }

    @Test func cardToAccountAndCardToCardMoveBalances() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let created = try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest(name: "Fresh"))
            let fresh = Demo.card(try #require(created.object["id"] as? String))
            let funded = Demo.card(Demo.fundedCard)
            let account = Demo.account(Demo.eurAccount)

            #expect(try await client.send("POST", "/transfers", token: token, json: Demo.transfer(from: funded, to: account, amount: 500)).status == 200)
            #expect(try await client.balances(funded, token: token) == Balances(available: 2000, actual: 2000))
            #expect(try await client.balances(account, token: token) == Balances(available: 500_500, actual: 500_500))

            #expect(try await client.send("POST", "/transfers", token: token, json: Demo.transfer(from: funded, to: fresh, amount: 2000)).status == 200)
            #expect(try await client.balances(funded, token: token) == Balances(available: 0, actual: 0))
            #expect(try await client.balances(fresh, token: token) == Balances(available: 2000, actual: 2000))
        }
    }

    /// Every `TransferConflict` code the simulator answers, each from the demo identity's own instruments.
    @Test func refusalsAre409WithWeavrsCodeAndMoveNothing() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let created = try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest(name: "To destroy"))
            let destroyed = Demo.card(try #require(created.object["id"] as? String))
            #expect(try await client.send("POST", "/managed_cards/\(destroyed.0)/remove", token: token).status == 204)
            let account = Demo.account(Demo.eurAccount)
            let funded = Demo.card(Demo.fundedCard)
            let cases: [(String, [String: Any])] = [
                ("PROFILE_INACTIVE", Demo.transfer(from: account, to: funded, amount: 100, profile: "999")),
                ("SOURCE_NOT_FOUND", Demo.transfer(from: Demo.card(Demo.carolCard), to: account, amount: 100)),
                ("SOURCE_NOT_FOUND", Demo.transfer(from: Demo.card("1"), to: account, amount: 100)),
                ("SOURCE_NOT_FOUND", Demo.transfer(from: Demo.card(Demo.eurAccount), to: funded, amount: 100)),
                ("DESTINATION_NOT_FOUND", Demo.transfer(from: account, to: Demo.card(Demo.carolCard), amount: 100)),
                ("SOURCE_AND_DESTINATION_MUST_BE_DIFFERENT", Demo.transfer(from: funded, to: funded, amount: 100)),
                ("SOURCE_CANNOT_BE_DEBIT_MODE_CARD", Demo.transfer(from: Demo.card(Demo.debitCard), to: account, amount: 100)),
                ("DESTINATION_CANNOT_BE_DEBIT_MODE_CARD", Demo.transfer(from: account, to: Demo.card(Demo.debitCard), amount: 100)),
                ("SOURCE_INSTRUMENT_DESTROYED", Demo.transfer(from: destroyed, to: account, amount: 100)),
                ("DESTINATION_INSTRUMENT_DESTROYED", Demo.transfer(from: account, to: destroyed, amount: 100)),
                ("SOURCE_INSTRUMENT_BLOCKED", Demo.transfer(from: Demo.card(Demo.systemBlockedCard), to: account, amount: 100)),
                ("DESTINATION_INSTRUMENT_BLOCKED", Demo.transfer(from: account, to: Demo.card(Demo.systemBlockedCard), amount: 100)),
                ("CURRENCY_MISMATCH", Demo.transfer(from: account, to: Demo.card(Demo.emptyGBPCard), amount: 100)),
                ("CURRENCY_MISMATCH", Demo.transfer(from: account, to: Demo.account(Demo.gbpAccount), amount: 100, currency: "EUR")),
                ("CURRENCY_MISMATCH", Demo.transfer(from: account, to: funded, amount: 100, currency: "GBP")),
                ("AMOUNT_INVALID", Demo.transfer(from: account, to: funded, amount: 0)),
                ("AMOUNT_INVALID", Demo.transfer(from: account, to: funded, amount: -5)),
                ("FUNDS_INSUFFICIENT", Demo.transfer(from: funded, to: account, amount: 2501)),
            ]
            for (code, body) in cases {
                let response = try await client.send("POST", "/transfers", token: token, json: body)
                #expect(response.status == 409, "\(code): \(response.status) \(response.text)")
                #expect(response.errorCode == code, "\(body)")
            }
            var scheduled = Demo.transfer(from: account, to: funded, amount: 100)
            scheduled["scheduledTimestamp"] = "4102444800000"
            #expect(try await client.send("POST", "/transfers", token: token, json: scheduled).errorCode == "SCHEDULED_TIMESTAMP_INVALID")

            #expect(try await client.balances(account, token: token) == Balances(available: 500_000, actual: 500_000))
            #expect(try await client.balances(funded, token: token) == Balances(available: 2500, actual: 2500))
            #expect(try await client.send("GET", "/transfers", token: token).object["count"] as? Int == 0)
        }
    }

    @Test func aBodyThatFailsTheSchemaIs400WithTheInvalidFields() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            func invalidFields(_ body: Any?, raw: [UInt8]? = nil) async throws -> Set<String> {
                let response = try await client.send("POST", "/transfers", token: token, json: body, rawBody: raw)
                #expect(response.status == 400, "\(response.text)")
                let fields = (response.object["syntaxErrors"] as? [String: Any])?["invalidFields"] as? [[String: Any]] ?? []
                return Set(fields.compactMap { $0["fieldName"] as? String })
            }
            #expect(try await invalidFields([String: Any]()) == ["profileId", "source", "destination", "destinationAmount"])
            #expect(try await invalidFields(nil, raw: Array("not json".utf8)) == ["profileId", "source", "destination", "destinationAmount"])
            let bad: [String: Any] = [
                "profileId": "p-401",
                "source": ["id": Demo.eurAccount, "type": "wallets"],
                "destination": ["type": "managed_cards"],
                "destinationAmount": ["currency": "euro", "amount": "10"],
                "tag": "has space",
                "description": "tab\tis fine but ~ is not",
            ]
            #expect(try await invalidFields(bad) == [
                "profileId", "source.type", "destination.id", "destinationAmount.currency", "destinationAmount.amount", "tag", "description",
            ])
            var fraction = Demo.transfer(from: Demo.account(Demo.eurAccount), to: Demo.card(Demo.fundedCard), amount: 1)
            fraction["destinationAmount"] = ["currency": "EUR", "amount": 10.5]
            #expect(try await invalidFields(fraction) == ["destinationAmount.amount"])
            fraction["destinationAmount"] = ["currency": "EUR", "amount": true]
            #expect(try await invalidFields(fraction) == ["destinationAmount.amount"])
        }
    }

    @Test func theSameIdempotencyRefReplaysTheTransferAndMovesMoneyOnce() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let account = Demo.account(Demo.eurAccount)
            let card = Demo.card(Demo.fundedCard)
            let body = Demo.transfer(from: account, to: card, amount: 1200)
            let first = try await client.send("POST", "/transfers", token: token, headers: ["idempotency-ref": "t-1"], json: body)
            let second = try await client.send("POST", "/transfers", token: token, headers: ["idempotency-ref": "t-1"], json: body)
            #expect(first.status == 200 && second.status == 200)
            #expect(first.object["id"] as? String != nil)
            #expect(first.object["id"] as? String == second.object["id"] as? String)
            #expect(try await client.balances(card, token: token) == Balances(available: 3700, actual: 3700))
            #expect(try await client.balances(account, token: token) == Balances(available: 498_800, actual: 498_800))
            #expect(try await client.send("GET", "/transfers", token: token).object["count"] as? Int == 1)

            let other = try await client.send("POST", "/transfers", token: token, headers: ["idempotency-ref": "t-1"],
                                              json: Demo.transfer(from: account, to: card, amount: 1300))
            #expect(other.status == 409 && other.errorCode == "IDEMPOTENCY_REF_CONFLICT")
            #expect(try await client.balances(card, token: token) == Balances(available: 3700, actual: 3700))
        }
    }

    @Test func listIsNewestFirstPagedAndFilteredByState() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            var ids: [String] = []
            for amount in 1...5 {
                let response = try await client.send("POST", "/transfers", token: token,
                                                     json: Demo.transfer(from: Demo.account(Demo.eurAccount), to: Demo.card(Demo.fundedCard), amount: Int64(amount)))
                ids.append(try #require(response.object["id"] as? String))
            }
            let first = try await client.send("GET", "/transfers?limit=2", token: token)
            #expect(first.object["count"] as? Int == 5)
            #expect(first.object["responseCount"] as? Int == 2)
            #expect((first.object["transfer"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[4], ids[3]])
            let last = try await client.send("GET", "/transfers?offset=4&limit=2", token: token)
            #expect((last.object["transfer"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0]])
            #expect(try await client.send("GET", "/transfers?state=COMPLETED", token: token).object["count"] as? Int == 5)
            #expect(try await client.send("GET", "/transfers?state=PENDING&state=FAILED", token: token).object["count"] as? Int == 0)
            #expect(try await client.send("GET", "/transfers?state=DONE", token: token).status == 400)
            #expect(try await client.send("GET", "/transfers?limit=0", token: token).status == 400)

            let carol = try await client.login("carol@example.com", "Password3!")
            #expect(try await client.send("GET", "/transfers", token: carol).object["count"] as? Int == 0)
        }
    }

    @Test func getAnswersTheTransferAnd404ForUnknownOrAnotherIdentitys() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let created = try await client.send("POST", "/transfers", token: token,
                                                json: Demo.transfer(from: Demo.account(Demo.eurAccount), to: Demo.card(Demo.fundedCard), amount: 10))
            let id = try #require(created.object["id"] as? String)
            let fetched = try await client.send("GET", "/transfers/\(id)", token: token)
            #expect(fetched.status == 200)
            #expect(NSDictionary(dictionary: fetched.object).isEqual(to: created.object))
            let unknown = try await client.send("GET", "/transfers/1", token: token)
            #expect(unknown.status == 404 && unknown.object["code"] is String)
            let carol = try await client.login("carol@example.com", "Password3!")
            #expect(try await client.send("GET", "/transfers/\(id)", token: carol).status == 404)
        }
    }

    @Test func theTransferProfileComesFromTheSeedAndWithoutOneEveryTransferIsRefused() async throws {
        let json = #"{"programmes": [{"apiKey": "k", "transferProfileId": "777", "cardProfiles": [], "identities": []}]}"#
        let decoded = try JSONDecoder().decode(SimulatorSeed.self, from: Data(json.utf8))
        #expect(decoded.programmes.first?.transferProfileId == "777")
        #expect(SimulatorSeed.demo.programmes.first?.transferProfileId == Demo.transferProfile)

        var seed = SimulatorSeed.demo
        seed.programmes[0].transferProfileId = nil
        try await withSimulator(seed: seed) { _, client async throws in
            let token = try await client.login()
            let response = try await client.send("POST", "/transfers", token: token,
                                                 json: Demo.transfer(from: Demo.account(Demo.eurAccount), to: Demo.card(Demo.fundedCard), amount: 1))
            #expect(response.status == 409 && response.errorCode == "PROFILE_INACTIVE")
        }
    }
}
