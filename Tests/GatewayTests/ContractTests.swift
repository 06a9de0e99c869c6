import Auth
import Foundation
@testable import Gateway
import Testing

/// `/openapi.json` describes what is served: every response the end-to-end suites see passes through
/// `GatewayHarness.call`, which checks it against the served document (`OpenAPIValidator`); these tests
/// make sure that check has teeth and cover the answers the issue found drifting.
@Suite("API contract")
struct ContractTests {
    typealias Seed = GatewayHarness.Seed

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
    }

    static func schema(_ name: String) throws -> [String: Any] {
        let schemas = (try document()["components"] as? [String: Any])?["schemas"] as? [String: Any]
        return try #require(schemas?[name] as? [String: Any])
    }

    @Test func listsSubmitsAndOperationsAreServedAsDocumented() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.steppedUpLogin()
        var replies: [(String, String, GatewayHarness.Reply)] = []
        for path in ["/v1/cards", "/v1/cards?state=active,blocked&limit=2", "/v1/accounts", "/v1/users", "/v1/cards/\(Seed.fundedEUR)", "/v1/me"] {
            replies.append(("GET", path, try await gateway.call("GET", path, token: token)))
        }
        let submit = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": [Seed.emptyGBP, Seed.userBlocked]])
        #expect(submit.status == 202)
        replies.append(("POST", "/v1/bulk/cards/block", submit))
        let id = try #require(submit.json["id"] as? String)
        _ = try await gateway.waitForBulk(id, token: token)
        for path in ["/v1/bulk/\(id)", "/v1/bulk/\(id)/operations", "/v1/bulk/\(id)/operations?status=failed"] {
            replies.append(("GET", path, try await gateway.call("GET", path, token: token)))
        }
        for (method, path, reply) in replies {
            #expect(reply.status < 300, "\(method) \(path): \(reply.status) \(reply.text)")
            #expect(gateway.contract.check(method: method, target: path, status: reply.status, contentType: reply.headers["content-type"], body: reply.body) == [])
        }
        #expect((replies[0].2.json["cards"] as? [Any])?.isEmpty == false)
        let failed = try #require((replies.last?.2.json["operations"] as? [[String: Any]])?.first)
        #expect(failed["error"] as? [String: String] == ["code": "INSTRUMENT_ALREADY_BLOCKED"])
        #expect((replies[4].2.json["expiry"] as? String)?.range(of: #"^[0-9]{2}/[0-9]{2}$"#, options: .regularExpression) != nil)
    }

    @Test func theValidatorRejectsWhatTheDocumentDoesNotDescribe() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        let good = try await gateway.call("GET", "/v1/cards/\(Seed.fundedEUR)", token: token)
        let card = try #require(good.json as [String: Any]?)
        func failures(_ body: Any, _ method: String = "GET", _ path: String = "/v1/cards/1", status: Int = 200, type: String = "application/json") -> [String] {
            let bytes = (try? JSONSerialization.data(withJSONObject: body, options: [.fragmentsAllowed])).map { Array($0) } ?? []
            return gateway.contract.check(method: method, target: path, status: status, contentType: type, body: bytes)
        }
        #expect(failures(card) == [])
        #expect(!failures(card.merging(["pan": "4111"]) { $1 }).isEmpty)  // an undocumented member
        #expect(!failures(card.filter { $0.key != "last4" }).isEmpty)  // a required member missing
        #expect(!failures(card.merging(["state": "frozen"]) { $1 }).isEmpty)  // outside the enum
        #expect(!failures(card.merging(["blockedReason": "USER"]) { $1 }).isEmpty)  // not the documented spelling
        #expect(!failures(card.merging(["expiry": "1129"]) { $1 }).isEmpty)  // MMYY, not MM/YY
        #expect(!failures(card.merging(["createdAt": 1_700_000_000]) { $1 }).isEmpty)  // wrong type
        #expect(!failures(card.merging(["balance": ["available": "1", "actual": 2]]) { $1 }).isEmpty)
        #expect(!failures(["items": [card], "nextCursor": NSNull()], "GET", "/v1/cards").isEmpty)  // the old list shape
        #expect(failures(["cards": [card], "nextCursor": NSNull()], "GET", "/v1/cards") == [])
        #expect(!failures(["cards": [card], "nextCursor": NSNull()], "GET", "/v1/cards", status: 201).isEmpty)  // an undocumented status falls under `default`: a problem document
        #expect(!failures(card, type: "text/plain").isEmpty)
        #expect(!failures(card, "GET", "/v1/nowhere").isEmpty)  // an undocumented path must be 404
        #expect(!failures(card, "PUT", "/v1/cards").isEmpty)  // an undocumented method must be 405
        #expect(!failures(["type": "about:blank", "title": "Not Found", "status": 404], "GET", "/v1/cards/1", status: 404, type: "application/problem+json").isEmpty)
    }

    @Test func theDocumentStatesTheServedLimits() throws {
        let bulkIDs = try Self.schema("BulkBlockCardsRequest")
        let cardIDs = (bulkIDs["properties"] as? [String: Any])?["cardIds"] as? [String: Any]
        #expect(cardIDs?["maxItems"] as? Int == 10_000)
        let paths = try #require(try Self.document()["paths"] as? [String: Any])
        let listCards = ((paths["/v1/cards"] as? [String: Any])?["get"] as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
        let name = listCards.first { $0["name"] as? String == "name" }?["schema"] as? [String: Any]
        #expect(name?["maxLength"] as? Int == 50)
        let submitted = ((((paths["/v1/bulk/cards/block"] as? [String: Any])?["post"] as? [String: Any])?["responses"] as? [String: Any])?["202"] as? [String: Any])
        let schema = ((submitted?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
        #expect(schema?["$ref"] as? String == "#/components/schemas/BulkSubmitted")
        #expect(try Self.schema("BulkSubmitted")["required"] as? [String] == ["id", "status", "operationCount"])
    }

    @Test func theDefaultDailyQuotaRunsAFullSizeBulk() async throws {
        #expect(Tenant.defaultQuotas["bulk.operations", default: 0] >= BulkSubmission.maxOperations)
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        let ids = (0..<BulkSubmission.maxOperations).map { String(900_000_000_000 + $0) }
        // 10,001 audit intent rows and a 10,000-item Weavr submit: more than the client's default 10 s on a busy machine.
        let submit = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": ids], timeout: .seconds(60))
        #expect(submit.status == 202, "\(submit.text)")
        #expect(submit.json["operationCount"] as? Int == 10_000)
    }
}
