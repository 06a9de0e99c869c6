import Audit
import Auth
import Foundation
import Gateway
import NIOFreeHTTP
import Testing
import TestSupport

/// `/v1/transfers` and the instruments' histories end to end: client → gateway → simulator, over real sockets;
/// balances move in the simulator, rows land in the audit log, quotas (count and money) hold under concurrency.
@Suite("Transfers and history")
struct TransfersRoutesTests {
    typealias Seed = GatewayHarness.Seed

    static func transfer(_ source: (String, String), _ destination: (String, String), _ amount: Any, currency: Any = "EUR") -> [String: Any] {
        ["source": ["type": source.0, "id": source.1], "destination": ["type": destination.0, "id": destination.1],
         "amount": amount, "currency": currency]
    }

    func available(_ gateway: GatewayHarness, _ path: String, _ token: String) async throws -> Int? {
        let reply = try await gateway.call("GET", path, token: token)
        return (reply.json["balance"] as? [String: Any])?["available"] as? Int
    }

    @Test func aTransferMovesMoneyIsAuditedAndShowsInBothHistories() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let accountBefore = try #require(try await available(gateway, "/v1/accounts/" + Seed.accountEUR, token))
            let cardBefore = try #require(try await available(gateway, "/v1/cards/" + Seed.fundedEUR, token))

            var body = Self.transfer(("account", Seed.accountEUR), ("card", Seed.fundedEUR), 12_345)
            body["description"] = "Top-up"
            let created = try await gateway.call("POST", "/v1/transfers", token: token, json: body)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers["location"] == "/v1/transfers/" + id)
            #expect(created.headers["cache-control"] == "no-store")
            #expect(created.json["amount"] as? Int == 12_345 && created.json["currency"] as? String == "EUR")
            #expect(created.json["state"] as? String == "completed")
            #expect((created.json["source"] as? [String: String]) == ["type": "account", "id": Seed.accountEUR])
            #expect((created.json["destination"] as? [String: String]) == ["type": "card", "id": Seed.fundedEUR])
            #expect(created.json["description"] as? String == "Top-up")
            #expect(!created.text.contains("profileId") && !created.text.contains("managed_"))

            #expect(try await available(gateway, "/v1/accounts/" + Seed.accountEUR, token) == accountBefore - 12_345)
            #expect(try await available(gateway, "/v1/cards/" + Seed.fundedEUR, token) == cardBefore + 12_345)

            let one = try await gateway.call("GET", "/v1/transfers/" + id, token: token)
            #expect(one.status == 200 && one.json["id"] as? String == id)
            let list = try await gateway.call("GET", "/v1/transfers", token: token)
            #expect((list.json["transfers"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true)
            #expect(try await gateway.call("GET", "/v1/transfers/99999999", token: token).code == "not_found")

            // The card's history: money in from the account; the account's: the same money out.
            let cardHistory = try await gateway.call("GET", "/v1/cards/\(Seed.fundedEUR)/transactions?type=transfer&direction=credit", token: token)
            #expect(cardHistory.status == 200, "\(cardHistory.text)")
            let credit = try #require((cardHistory.json["transactions"] as? [[String: Any]])?.first)
            #expect(credit["amount"] as? Int == 12_345 && credit["direction"] as? String == "credit" && credit["type"] as? String == "transfer")
            #expect(((credit["transfer"] as? [String: Any])?["source"] as? [String: String])?["id"] == Seed.accountEUR)
            let accountHistory = try await gateway.call("GET", "/v1/accounts/\(Seed.accountEUR)/transactions?direction=debit", token: token)
            #expect((accountHistory.json["transactions"] as? [[String: Any]])?.contains { $0["amount"] as? Int == 12_345 } == true)

            // Audited: intent then success, with amount, currency, both instruments; the target is the transfer.
            let rows = try await gateway.services.audit.all(AuditFilter(action: "transfer.create"))
            #expect(rows.map(\.outcome) == ["intent", "success"])
            let success = try #require(rows.last)
            #expect(success.target == "transfer:" + id)
            for fragment in ["\"amount\":12345", "\"currency\":\"EUR\"", "\"source\":\"account:\(Seed.accountEUR)\"",
                             "\"destination\":\"card:\(Seed.fundedEUR)\""] {
                #expect(success.details.contains(fragment), "\(success.details)")
            }
            #expect(try await gateway.services.quotas.usage(tenant: "acme", day: nil)[.transfersCreate] == 1)
        }
    }

    @Test func badTransfersAreRefusedBeforeWeavrAndWeavrsRefusalsAreConflicts() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let good = Self.transfer(("account", Seed.accountEUR), ("card", Seed.fundedEUR), 100)
            let before = gateway.simulator.capturedRequests.count
            func refused(_ body: [String: Any], _ field: String) async throws {
                let reply = try await gateway.call("POST", "/v1/transfers", token: token, json: body)
                #expect(reply.status == 422 && reply.invalidFieldNames.contains(field), "\(field): \(reply.text)")
            }
            for amount: Any in [0, -5, 1.5, true, "100", 1_000_000_000_001] {
                try await refused(Self.transfer(("account", Seed.accountEUR), ("card", Seed.fundedEUR), amount), "amount")
            }
            try await refused(Self.transfer(("account", Seed.accountEUR), ("card", Seed.fundedEUR), 100, currency: "eur"), "currency")
            try await refused(Self.transfer(("wallet", Seed.accountEUR), ("card", Seed.fundedEUR), 100), "source.type")
            try await refused(Self.transfer(("account", "abc"), ("card", Seed.fundedEUR), 100), "source.id")
            try await refused(Self.transfer(("card", Seed.fundedEUR), ("card", Seed.fundedEUR), 100), "destination")
            var missing = good
            missing["destination"] = nil
            try await refused(missing, "destination")
            #expect(gateway.simulator.capturedRequests.count == before, "Weavr was asked for a transfer the gateway should refuse")

            // Weavr's refusals: 409 with its vetted code; the quota unit goes back.
            let poor = try await gateway.call("POST", "/v1/transfers", token: token,
                                              json: Self.transfer(("card", Seed.fundedEUR), ("account", Seed.accountEUR), 900_000_000))
            #expect(poor.status == 409 && poor.code == "conflict" && poor.json["upstreamCode"] as? String == "FUNDS_INSUFFICIENT", "\(poor.text)")
            let mismatch = try await gateway.call("POST", "/v1/transfers", token: token,
                                                  json: Self.transfer(("account", Seed.accountEUR), ("card", Seed.emptyGBP), 100))
            #expect(mismatch.status == 409 && mismatch.json["upstreamCode"] as? String == "CURRENCY_MISMATCH", "\(mismatch.text)")
            #expect(try await gateway.services.quotas.usage(tenant: "acme", day: nil)[.transfersCreate] == 0)
            let failures = try await gateway.services.audit.all(AuditFilter(action: "transfer.create", outcome: .failure))
            #expect(failures.count == 2 && failures.allSatisfy { $0.httpStatus == 409 })

            // A tenant without a transfer profile has no transfers.
            _ = try await gateway.services.tenants.update("acme", TenantUpdate(transferProfile: ""))
            try await waitUntil {
                try await gateway.call("POST", "/v1/transfers", token: token, json: Self.transfer(("account", Seed.accountEUR), ("card", Seed.fundedEUR), 100)).status == 403
            }
            #expect(try await gateway.call("GET", "/v1/transfers", token: token).status == 200)
        }
    }

    @Test func aMoneyQuotaAllowsExactlyItsAmountUnderConcurrency() async throws {
        try await withGateway { gateway in
            _ = try await gateway.services.tenants.update("acme", TenantUpdate(quotas: ["money.EUR": 50_000]))
            let token = try await gateway.login()
            let accountBefore = try #require(try await available(gateway, "/v1/accounts/" + Seed.accountEUR, token))
            let replies = try await withThrowingTaskGroup(of: GatewayHarness.Reply.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        var headers = HTTPHeaders()
                        headers.add("idempotency-key", "money-\(index)")
                        return try await gateway.call("POST", "/v1/transfers", token: token,
                                                      json: Self.transfer(("account", Seed.accountEUR), ("card", Seed.fundedEUR), 5_000), headers: headers)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.filter { $0.status == 201 }.count == 10, "\(replies.map(\.status))")
            let refused = replies.filter { $0.status == 429 }
            #expect(refused.count == 10 && refused.allSatisfy { $0.code == "quota_exceeded" })
            #expect(refused.first?.headers["ratelimit-policy"]?.contains("\"money.EUR\";q=50000;w=86400") == true)
            #expect(try await available(gateway, "/v1/accounts/" + Seed.accountEUR, token) == accountBefore - 50_000)
            let usage = try await gateway.services.quotas.usage(tenant: "acme", day: nil)
            #expect(usage[.transfersCreate] == 10)  // the count given back for each refused transfer
            #expect(usage[try #require(.money("EUR"))] == 50_000)
            let denials = try await gateway.services.audit.all(AuditFilter(action: "quota.denied"))
            #expect(denials.count == 10 && denials.allSatisfy { $0.details.contains("\"operation\":\"money.EUR\"") })
            #expect(gateway.simulator.capturedRequests.filter { $0.method == "POST" && $0.path == "/transfers" }.count == 10)
            #expect(try await gateway.services.audit.verify().ok)
        }
    }

    @Test func aRepeatedIdempotencyKeyMovesMoneyOnce() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            var headers = HTTPHeaders()
            headers.add("idempotency-key", "top-up-1")
            let body = Self.transfer(("account", Seed.accountEUR), ("card", Seed.fundedEUR), 700)
            let first = try await gateway.call("POST", "/v1/transfers", token: token, json: body, headers: headers)
            let second = try await gateway.call("POST", "/v1/transfers", token: token, json: body, headers: headers)
            #expect(first.status == 201 && second.status == 201, "\(second.status) \(second.text)")
            #expect(second.headers["idempotent-replayed"] == "true")
            #expect(first.json["id"] as? String == second.json["id"] as? String)
            #expect(gateway.simulator.capturedRequests.filter { $0.method == "POST" && $0.path == "/transfers" }.count == 1)
        }
    }

    @Test func historyFiltersAreCheckedAndCursorsBoundToThem() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            for amount in [100, 200, 300] {
                let reply = try await gateway.call("POST", "/v1/transfers", token: token,
                                                   json: Self.transfer(("account", Seed.accountEUR), ("card", Seed.fundedEUR), amount))
                #expect(reply.status == 201)
            }
            let path = "/v1/cards/\(Seed.fundedEUR)/transactions"
            let pages = try await gateway.collectPages(path + "?type=transfer&limit=2", key: "transactions", token: token)
            #expect(pages.items.compactMap { $0["amount"] as? Int } == [300, 200, 100], "newest first")
            #expect(pages.pages == 2)
            let first = try await gateway.call("GET", path + "?type=transfer&limit=2", token: token)
            let cursor = try #require(first.json["nextCursor"] as? String)
            #expect(try await gateway.call("GET", path + "?type=card_payment&limit=2&cursor=" + cursor, token: token).invalidFieldNames == ["cursor"])
            #expect(try await gateway.call("GET", "/v1/accounts/\(Seed.accountEUR)/transactions?cursor=" + cursor, token: token)
                .invalidFieldNames == ["cursor"])
            let future = try await gateway.call("GET", path + "?from=2999-01-01T00:00:00Z", token: token)
            #expect(future.status == 200 && (future.json["transactions"] as? [Any])?.isEmpty == true)
            for (query, field) in [("type=purchase", "type"), ("status=done", "status"), ("direction=in", "direction"),
                                   ("from=yesterday", "from"), ("from=2026-02-30T00:00:00Z", "from"),
                                   ("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to"), ("sort=asc", "sort"), ("limit=0", "limit")] {
                let reply = try await gateway.call("GET", path + "?" + query, token: token)
                #expect(reply.status == 422 && reply.invalidFieldNames == [field], "\(query): \(reply.text)")
            }
            #expect(try await gateway.call("GET", "/v1/cards/\(Seed.globexCard)/transactions", token: token).status == 404)
        }
    }

    /// A card purchase as the scheme drives it (the simulator's test-only route): held, then settled, then shown
    /// in the card's history with its merchant; a purchase on a blocked card is declined and moves nothing.
    @Test func aPurchaseIsHeldThenSettledInTheCardsHistory() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let before = try #require(try await available(gateway, "/v1/cards/" + Seed.fundedEUR, token))
            func simulator(_ path: String, _ body: [String: Any]?) async throws -> [String: Any] {
                try await gateway.simulatorPost(path, body).json
            }
            let purchase = try await simulator("/_simulator/purchases", [
                "cardId": Seed.fundedEUR, "amount": 450, "currency": "EUR", "merchantName": "Corner Coffee", "merchantCategoryCode": "5814",
            ])
            let purchaseID = try #require(purchase["id"] as? String)
            #expect(purchase["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            #expect(try await available(gateway, "/v1/cards/" + Seed.fundedEUR, token) == before - 450)

            let path = "/v1/cards/\(Seed.fundedEUR)/transactions?type=card_payment"
            let held = try #require((try await gateway.call("GET", path, token: token).json["transactions"] as? [[String: Any]])?.first)
            #expect(held["status"] as? String == "processing" && held["paymentStatus"] as? String == "settlement_in_progress")
            #expect(held["amount"] as? Int == 450 && held["direction"] as? String == "debit")
            #expect((held["merchant"] as? [String: Any])?["name"] as? String == "Corner Coffee")
            #expect((held["merchant"] as? [String: Any])?["categoryCode"] as? String == "5814")

            _ = try await simulator("/_simulator/purchases/\(purchaseID)/settle", nil)
            let settled = try #require((try await gateway.call("GET", path, token: token).json["transactions"] as? [[String: Any]])?.first)
            #expect(settled["status"] as? String == "completed" && settled["paymentStatus"] as? String == "settled")

            let declined = try await simulator("/_simulator/purchases", [
                "cardId": Seed.userBlocked, "amount": 100, "merchantName": "Shoe Shop",
            ])
            #expect(declined["status"] as? String == "DECLINED")
            let blockedHistory = try await gateway.call("GET", "/v1/cards/\(Seed.userBlocked)/transactions", token: token)
            let entry = try #require((blockedHistory.json["transactions"] as? [[String: Any]])?.first)
            #expect(entry["paymentStatus"] as? String == "declined")
        }
    }
}
