import Foundation
@testable import Gateway
import NIOFreeHTTP
import Testing
import TestSupport

/// `GET /v1/cards|accounts/{id}/statement` end to end: JSON mapped by the gateway, CSV and PDF streamed
/// through from the simulator by `Accept`, filters, cursors and the refusals.
@Suite struct StatementRoutesTests {
    typealias Seed = GatewayHarness.Seed

    /// Funds the card from the account (2,500), then a settled purchase (450) and one only held (120).
    func history(_ harness: GatewayHarness, token: String) async throws {
        let transfer = try await harness.call("POST", "/v1/transfers", token: token, json: [
            "source": ["type": "account", "id": Seed.accountEUR], "destination": ["type": "card", "id": Seed.fundedEUR],
            "amount": 2500, "currency": "EUR", "description": "Top-up, \"monthly\"",
        ])
        #expect(transfer.status == 201, "\(transfer.text)")
        let purchase = try await harness.simulatorPost("/_simulator/purchases", [
            "cardId": Seed.fundedEUR, "amount": 450, "currency": "EUR", "merchantName": "Corner Coffee", "merchantCategoryCode": "5814",
        ]).json
        let id = try #require(purchase["id"] as? String)
        _ = try await harness.simulatorPost("/_simulator/purchases/\(id)/settle", nil)
        _ = try await harness.simulatorPost("/_simulator/purchases", [
            "cardId": Seed.fundedEUR, "amount": 120, "currency": "EUR", "merchantName": "Held Bakery",
        ])
    }

    @Test func theJSONStatementHasPostedEntriesWithRunningBalances() async throws {
        try await withGateway { harness in
            let token = try await harness.login()
            try await history(harness, token: token)
            let path = "/v1/cards/\(Seed.fundedEUR)/statement"
            let reply = try await harness.call("GET", path, token: token)
            #expect(reply.status == 200 && reply.headers["content-type"] == "application/json")
            #expect(reply.headers["cache-control"] == "no-store")
            let entries = try #require(reply.json["entries"] as? [[String: Any]])
            // Posted only: the top-up and the settled coffee, oldest first; the held purchase is not posted.
            #expect(entries.map { $0["type"] as? String } == ["transfer", "card_payment"])
            #expect(entries.map { $0["amount"] as? Int } == [2500, -450])
            let opening = try #require((reply.json["openingBalance"] as? [String: Any])?["amount"] as? Int)
            let closing = try #require((reply.json["closingBalance"] as? [String: Any])?["amount"] as? Int)
            #expect(entries.map { $0["balanceAfter"] as? Int } == [opening + 2500, opening + 2050])
            #expect(closing == opening + 2050)
            #expect((entries[1]["counterparty"] as? [String: Any])?["name"] as? String == "Corner Coffee")
            #expect((entries[0]["counterparty"] as? [String: Any])?["type"] as? String == "account")
            #expect(reply.json["nextCursor"] is NSNull)
            // The card's actual balance now is the closing balance (the held 120 is not yet taken from it).
            let card = try await harness.call("GET", "/v1/cards/\(Seed.fundedEUR)", token: token)
            #expect((card.json["balance"] as? [String: Any])?["actual"] as? Int == closing)

            // Filters, order and cursors.
            let coffee = try await harness.call("GET", path + "?type=card_payment", token: token)
            #expect((coffee.json["entries"] as? [[String: Any]])?.map { $0["amount"] as? Int } == [-450])
            let newest = try await harness.call("GET", path + "?order=desc&limit=1", token: token)
            #expect((newest.json["entries"] as? [[String: Any]])?.first?["type"] as? String == "card_payment")
            let cursor = try #require(newest.json["nextCursor"] as? String)
            let older = try await harness.call("GET", path + "?order=desc&limit=1&cursor=" + cursor, token: token)
            #expect((older.json["entries"] as? [[String: Any]])?.first?["type"] as? String == "transfer")
            #expect(older.json["nextCursor"] is NSNull)
            let mismatched = try await harness.call("GET", path + "?limit=1&cursor=" + cursor, token: token)
            #expect(mismatched.status == 422 && mismatched.invalidFieldNames == ["cursor"])
            let future = try await harness.call("GET", path + "?from=2999-01-01T00:00:00Z", token: token)
            #expect((future.json["entries"] as? [Any])?.isEmpty == true)
            #expect((future.json["openingBalance"] as? [String: Any])?["amount"] as? Int == closing)
            for (query, field) in [("limit=501", "limit"), ("order=up", "order"), ("type=purchase", "type"), ("from=today", "from"),
                                   ("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to"), ("format=csv", "format")] {
                let bad = try await harness.call("GET", path + "?" + query, token: token)
                #expect(bad.status == 422 && bad.invalidFieldNames == [field], "\(query): \(bad.text)")
            }
            // The account's side: the top-up went out of it.
            let account = try await harness.call("GET", "/v1/accounts/\(Seed.accountEUR)/statement", token: token)
            #expect((account.json["entries"] as? [[String: Any]])?.last?["amount"] as? Int == -2500)
            // Another identity's card: Weavr's 404.
            #expect(try await harness.call("GET", "/v1/cards/\(Seed.globexCard)/statement", token: token).status == 404)
        }
    }

    @Test func csvAndPDFAreStreamedThroughByAccept() async throws {
        try await withGateway { harness in
            let token = try await harness.login()
            try await history(harness, token: token)
            let path = "/v1/cards/\(Seed.fundedEUR)/statement"
            let csv = try await harness.call("GET", path, token: token, headers: ["accept": "text/csv"])
            #expect(csv.status == 200 && csv.headers["content-type"] == "text/csv")
            // Streamed: chunked, never a content-length the gateway would need the whole file for.
            #expect(csv.headers["transfer-encoding"] == "chunked" && csv.headers["content-length"] == nil)
            #expect(csv.headers["content-disposition"] == "attachment; filename=\"card-\(Seed.fundedEUR)-statement.csv\"")
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "entryId,timestamp,type,description,amount,currency,balanceAfter")
            #expect(lines.count == 3)
            #expect(lines[1].contains(",transfers,\"Top-up, \"\"monthly\"\"\",2500,EUR,"))
            #expect(lines[2].contains(",card_payments,Corner Coffee,-450,EUR,"))

            let pdf = try await harness.call("GET", path + "?type=card_payment", token: token, headers: ["accept": "application/pdf"])
            #expect(pdf.status == 200 && pdf.headers["content-type"] == "application/pdf")
            #expect(pdf.text.hasPrefix("%PDF-1.4") && pdf.text.hasSuffix("%%EOF\n"))
            #expect(pdf.text.contains("Corner Coffee") && !pdf.text.contains("Top-up"))
            #expect(harness.weavrRequests("GET", "/managed_cards/\(Seed.fundedEUR)/statement").last?.headers["accept"] == "application/pdf")

            // Negotiation: q-values decide; nothing acceptable is 406; a Weavr refusal on the file path is mapped.
            let preferred = try await harness.call("GET", path, token: token, headers: ["accept": "application/pdf;q=0.5, text/csv"])
            #expect(preferred.headers["content-type"] == "text/csv")
            let json = try await harness.call("GET", path, token: token, headers: ["accept": "text/csv;q=0, */*"])
            #expect(json.headers["content-type"] == "application/json")
            let refused = try await harness.call("GET", path, token: token, headers: ["accept": "image/png"])
            #expect(refused.status == 406 && refused.code == "not_acceptable")
            let foreign = try await harness.call("GET", "/v1/cards/\(Seed.globexCard)/statement", token: token, headers: ["accept": "text/csv"])
            #expect(foreign.status == 404 && foreign.headers["content-type"]?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test func acceptNegotiation() {
        typealias Format = StatementsRoutes.Format
        #expect(Format.negotiate(nil) == .json)
        #expect(Format.negotiate("*/*") == .json)
        #expect(Format.negotiate("text/*") == .csv)
        #expect(Format.negotiate("application/*") == .json)
        #expect(Format.negotiate("application/pdf") == .pdf)
        #expect(Format.negotiate("TEXT/CSV; charset=utf-8") == .csv)
        #expect(Format.negotiate("application/json;q=0.2, application/pdf;q=0.9") == .pdf)
        #expect(Format.negotiate("*/*;q=0.1, text/csv;q=0") == .json)
        #expect(Format.negotiate("image/png, text/html") == nil)
        #expect(Format.negotiate("garbage") == nil)
        #expect(Format.negotiate("application/json;q=0") == nil)
    }
}
