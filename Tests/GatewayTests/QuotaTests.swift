import Audit
import Auth
import Foundation
import NIOFreeHTTP
import Testing

/// Daily per-tenant quotas on card mutations (docs/ARCHITECTURE.md "Quotas and audit"), end to end over real sockets.
@Suite("Quotas")
struct QuotaTests {
    @Test func aQuotaOfTenAllowsExactlyTenOfAHundredConcurrentCardIssuesAndSurvivesARestart() async throws {
        let gateway = try await RestartableGateway()
        do {
            _ = try await gateway.services.tenants.update("acme", TenantUpdate(quotas: ["cards.issue": 10]))
            let token = try await gateway.login()
            let replies = try await withThrowingTaskGroup(of: GatewayHarness.Reply.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        var headers = HTTPHeaders()
                        headers.add("idempotency-key", "issue-\(index)")
                        return try await gateway.call("POST", "/v1/cards", token: token, json: [
                            "name": "Quota \(index)", "nameOnCard": "Alice Admin", "currency": "EUR",
                            "billingAddress": GatewayHarness.billingAddress,
                        ], headers: headers)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = replies.filter { $0.status == 201 }
            let refused = replies.filter { $0.status == 429 }
            #expect(created.count == 10)
            #expect(refused.count == 90)
            #expect(refused.allSatisfy { $0.code == "quota_exceeded" })
            let sample = try #require(refused.first)
            let retryAfter = Int(sample.headers["retry-after"] ?? "") ?? -1
            #expect((1...86_400).contains(retryAfter))
            #expect(sample.headers["ratelimit-policy"]?.contains("\"cards.issue\";q=10;w=86400") == true)
            #expect(sample.headers["ratelimit"]?.contains("\"cards.issue\";r=0;t=") == true)
            #expect(created.first?.headers["ratelimit-policy"]?.contains("\"cards.issue\";q=10") == true)
            #expect(gateway.simulator.capturedRequests.filter { $0.method == "POST" && $0.path == "/managed_cards" }.count == 10)

            let audit = gateway.services.audit
            #expect(try await audit.all(AuditFilter(action: "card.issue", outcome: .success)).count == 10)
            #expect(try await audit.all(AuditFilter(action: "card.issue", outcome: .intent)).count == 10)
            let denials = try await audit.all(AuditFilter(action: "quota.denied"))
            #expect(denials.count == 90)
            #expect(denials.allSatisfy { $0.httpStatus == 429 && $0.outcome == "denied" && $0.details.contains("\"operation\":\"cards.issue\"") })
            #expect(try await gateway.services.quotas.usage(tenant: "acme", day: nil)[.cardsIssue] == 10)
            #expect(try await audit.verify().ok)

            try await gateway.restart()
            #expect(try await gateway.services.quotas.usage(tenant: "acme", day: nil)[.cardsIssue] == 10)
            #expect(try await gateway.services.audit.verify().ok)
            // Still used up after the restart: the counter is durable, not in memory.
            let token2 = try await gateway.login()
            let after = try await gateway.issueCard(token: token2, name: "After restart")
            #expect(after.status == 429 && after.code == "quota_exceeded")
        } catch {
            await gateway.shutdown()
            throw error
        }
        await gateway.shutdown()
    }

    @Test func aFailedBlockGivesItsUnitBackAndAnIdempotentReplaySpendsNothing() async throws {
        let harness = try await GatewayHarness()
        do {
            let token = try await harness.login()
            // Already blocked by the user: Weavr answers 409, the unit comes back.
            let refused = try await harness.call("POST", "/v1/cards/\(GatewayHarness.Seed.userBlocked)/block", token: token)
            #expect(refused.status == 409)
            #expect(try await harness.services.quotas.usage(tenant: "acme", day: nil)[.cardsBlock] == 0)

            var headers = HTTPHeaders()
            headers.add("idempotency-key", "block-once")
            let first = try await harness.call("POST", "/v1/cards/\(GatewayHarness.Seed.fundedEUR)/block", token: token, headers: headers)
            let replay = try await harness.call("POST", "/v1/cards/\(GatewayHarness.Seed.fundedEUR)/block", token: token, headers: headers)
            #expect(first.status == 200)
            #expect(replay.status == 200 && replay.headers["idempotent-replayed"] == "true")
            #expect(try await harness.services.quotas.usage(tenant: "acme", day: nil)[.cardsBlock] == 1)
            let rows = try await harness.services.audit.all(AuditFilter(action: "card.block", target: GatewayHarness.Seed.fundedEUR))
            #expect(rows.map(\.outcome) == ["intent", "success"])
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    @Test func aBulkCountsAllItsOperationsOrNone() async throws {
        let harness = try await GatewayHarness()
        do {
            _ = try await harness.services.tenants.update("acme", TenantUpdate(quotas: ["bulk.operations": 5]))
            let token = try await harness.login()
            let ids = try await harness.createCards(6)
            let tooMany = try await harness.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": ids])
            #expect(tooMany.status == 429 && tooMany.code == "quota_exceeded")
            #expect(try await harness.services.quotas.usage(tenant: "acme", day: nil)[.bulkOperations] == 0)
            let accepted = try await harness.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": Array(ids.prefix(4))])
            #expect(accepted.status == 202)
            #expect(try await harness.services.quotas.usage(tenant: "acme", day: nil)[.bulkOperations] == 4)
            let oneMore = try await harness.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": Array(ids.suffix(2))])
            #expect(oneMore.status == 429)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }
}
