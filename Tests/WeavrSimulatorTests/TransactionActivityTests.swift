import Testing
import WeavrSimulator

struct TransactionActivityTests {
    @Test func aTransferIsADebitOnItsSourceAndACreditOnItsDestination() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let account = Demo.account(Demo.eurAccount)
            let card = Demo.card(Demo.fundedCard)
            #expect(try await client.transactions(card, token: token).count == 0)
            let created = try await client.send("POST", "/transfers", token: token, json: Demo.transfer(from: account, to: card, amount: 750))
            let id = try #require(created.object["id"] as? String)

            let debit = try await client.transactions(account, token: token)
            let credit = try await client.transactions(card, token: token)
            #expect(debit.count == 1 && credit.count == 1)
            for (entries, direction) in [(debit.entries, "DEBIT"), (credit.entries, "CREDIT")] {
                let entry = try #require(entries.first)
                #expect(entry["id"] as? String == id)
                #expect(entry["type"] as? String == "transfers")
                #expect(entry["status"] as? String == "COMPLETED")
                #expect(entry["direction"] as? String == direction)
                #expect((entry["amount"] as? [String: Any])?["amount"] as? Int == 750)
                #expect((entry["amount"] as? [String: Any])?["currency"] as? String == "EUR")
                #expect(entry["creationTimestamp"] as? Int == created.object["creationTimestamp"] as? Int)
                let transfer = entry["transaction"] as? [String: Any]
                #expect(transfer?["id"] as? String == id && transfer?["state"] as? String == "COMPLETED")
                #expect((transfer?["source"] as? [String: String])?["id"] == Demo.eurAccount)
            }
        }
    }

    @Test func filtersByTypeDirectionAndTimeAndSortsBothWays() async throws {
        let clock = ManualSimulatorClock()
        try await withSimulator(clock: clock) { _, client async throws in
            let token = try await client.login()
            let account = Demo.account(Demo.eurAccount)
            let card = Demo.card(Demo.fundedCard)
            var stamps: [Int64] = []
            var ids: [String] = []
            // in (+100), out (-40), in (+7), one minute apart
            for (from, to, amount) in [(account, card, Int64(100)), (card, account, 40), (account, card, 7)] {
                clock.advance(by: .seconds(60))
                stamps.append(clock.nowMilliseconds())
                let response = try await client.send("POST", "/transfers", token: token, json: Demo.transfer(from: from, to: to, amount: amount))
                ids.append(try #require(response.object["id"] as? String))
            }
            func listed(_ query: String) async throws -> [String] {
                try await client.transactions(card, token: token, query: query).entries.compactMap { $0["id"] as? String }
            }
            #expect(try await listed("") == [ids[2], ids[1], ids[0]])
            #expect(try await listed("sortOrder=DESC") == [ids[2], ids[1], ids[0]])
            #expect(try await listed("sortOrder=ASC") == [ids[0], ids[1], ids[2]])
            #expect(try await listed("direction=CREDIT") == [ids[2], ids[0]])
            #expect(try await listed("direction=DEBIT") == [ids[1]])
            #expect(try await listed("type=transfers&type=card_payments") == [ids[2], ids[1], ids[0]])
            #expect(try await listed("type=card_payments").isEmpty)
            #expect(try await listed("status=COMPLETED&direction=CREDIT&sortOrder=ASC") == [ids[0], ids[2]])
            #expect(try await listed("status=PROCESSING").isEmpty)
            #expect(try await listed("creationTimestampFrom=\(stamps[1])") == [ids[2], ids[1]])
            #expect(try await listed("creationTimestampTo=\(stamps[1])") == [ids[1], ids[0]])
            #expect(try await listed("creationTimestampFrom=\(stamps[1])&creationTimestampTo=\(stamps[1])") == [ids[1]])
            #expect(try await listed("lastUpdatedTimestampFrom=\(stamps[2])&sortBy=lastUpdatedTimestamp") == [ids[2]])

            let page = try await client.transactions(card, token: token, query: "offset=1&limit=1")
            #expect(page.count == 3)
            #expect(page.entries.compactMap { $0["id"] as? String } == [ids[1]])
            let capped = try await client.send("GET", "/managed_cards/\(Demo.fundedCard)/transactions?limit=500", token: token)
            #expect(capped.object["responseCount"] as? Int == 3)
        }
    }

    @Test func badFiltersAre400AndForeignOrUnknownInstrumentsAre404() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            for query in ["type=wires", "status=DONE", "direction=UP", "sortOrder=UP", "creationTimestampFrom=yesterday", "limit=0", "offset=-1"] {
                let response = try await client.send("GET", "/managed_cards/\(Demo.fundedCard)/transactions?\(query)", token: token)
                #expect(response.status == 400, "\(query)")
            }
            #expect(try await client.send("GET", "/managed_cards/\(Demo.carolCard)/transactions", token: token).status == 404)
            #expect(try await client.send("GET", "/managed_cards/1/transactions", token: token).status == 404)
            #expect(try await client.send("GET", "/managed_accounts/\(Demo.fundedCard)/transactions", token: token).status == 404)
            let carol = try await client.login("carol@example.com", "Password3!")
            #expect(try await client.send("GET", "/managed_accounts/\(Demo.eurAccount)/transactions", token: carol).status == 404)
            #expect(try await client.send("GET", "/managed_cards/\(Demo.carolCard)/transactions", token: carol).status == 200)
        }
    }
}
