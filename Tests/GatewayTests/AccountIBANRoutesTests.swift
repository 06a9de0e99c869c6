import Audit
import Foundation
import Gateway
import NIOFreeHTTP
import Testing
import WeavrSimulator

/// `/v1/accounts/{id}/iban` end to end: read before and after the upgrade, the upgrade audited with the account
/// and the state only — the IBAN may be shown to its owner but never lands in an audit row or a log line.
@Suite("Account IBAN routes")
struct AccountIBANRoutesTests {
    typealias Seed = GatewayHarness.Seed
    static let detailKeys: Set<String> = [
        "type", "iban", "bic", "accountNumber", "sortCode", "beneficiaryName", "beneficiaryBank", "beneficiaryBankAddress", "paymentReference",
    ]

    @Test func upgradeGivesTheAccountAnIBANAndTheAuditRowNamesOnlyTheAccountAndState() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let before = try await gateway.call("GET", "/v1/accounts/\(Seed.accountEUR)/iban", token: token)
            #expect(before.status == 200)
            #expect(before.headers["cache-control"] == "no-store")
            #expect(before.json["state"] as? String == "unallocated")
            #expect((before.json["details"] as? [Any])?.isEmpty == true)

            let upgraded = try await gateway.call("POST", "/v1/accounts/\(Seed.accountEUR)/iban", token: token, headers: ["idempotency-key": "iban-eur-1"])
            #expect(upgraded.status == 200)
            #expect(upgraded.json["state"] as? String == "allocated")
            let entry = try #require((upgraded.json["details"] as? [[String: Any]])?.first)
            #expect(Set(entry.keys) == Self.detailKeys)
            #expect(entry["type"] as? String == "sepa")
            let iban = try #require(entry["iban"] as? String)
            #expect(iban.hasPrefix("MT") && iban.count == 31)
            #expect(entry["bic"] as? String == "SIMLMTM1")
            #expect(entry["accountNumber"] is NSNull && entry["sortCode"] is NSNull)
            #expect(entry["beneficiaryName"] as? String == "Acme Ltd")
            let reference = try #require(entry["paymentReference"] as? String)
            #expect(!upgraded.text.contains("bankAccountDetails") && !upgraded.text.contains("ALLOCATED"))

            let replay = try await gateway.call("POST", "/v1/accounts/\(Seed.accountEUR)/iban", token: token, headers: ["idempotency-key": "iban-eur-1"])
            #expect(replay.status == 200 && replay.headers["idempotent-replayed"] == "true" && replay.body == upgraded.body)
            let again = try await gateway.call("POST", "/v1/accounts/\(Seed.accountEUR)/iban", token: token)
            #expect(again.status == 409 && again.code == "conflict")

            let after = try await gateway.call("GET", "/v1/accounts/\(Seed.accountEUR)/iban", token: token)
            #expect(after.json["state"] as? String == "allocated")
            #expect((after.json["details"] as? [[String: Any]])?.first?["iban"] as? String == iban)

            let rows = try await gateway.services.audit.all(AuditFilter(action: "account.iban.upgrade"))
            let success = try #require(rows.first { $0.outcome == "success" })
            #expect(success.target == Seed.accountEUR)
            #expect(success.details.contains("\"state\":\"allocated\""))
            #expect(rows.contains { $0.outcome != "success" && $0.httpStatus == 409 })
            for row in try await gateway.services.audit.all(AuditFilter()) {
                #expect(!row.allText.contains(iban) && !row.allText.contains(reference) && !row.allText.contains("SIMLMTM1"))
            }
            #expect(!gateway.accessLog.all.contains(iban))
        }
    }

    /// Weavr allocates IBANs asynchronously: the upgrade answers `pending` with no details, the read shows
    /// `pending` until Weavr allocates, then `allocated` with the details; the audit row records `pending`.
    @Test func anUpgradeWeavrHasNotAllocatedYetIsPendingUntilItIs() async throws {
        try await withGateway { gateway in
            #expect(try await gateway.simulatorPost("/_simulator/accounts/\(Seed.accountGBP)/iban/delay").status == 200)
            let token = try await gateway.login()
            let upgraded = try await gateway.call("POST", "/v1/accounts/\(Seed.accountGBP)/iban", token: token)
            #expect(upgraded.status == 200)
            #expect(upgraded.json["state"] as? String == "pending")
            #expect((upgraded.json["details"] as? [Any])?.isEmpty == true)
            let waiting = try await gateway.call("GET", "/v1/accounts/\(Seed.accountGBP)/iban", token: token)
            #expect(waiting.json["state"] as? String == "pending" && (waiting.json["details"] as? [Any])?.isEmpty == true)
            // A second upgrade while pending is Weavr's conflict, not a second allocation.
            let again = try await gateway.call("POST", "/v1/accounts/\(Seed.accountGBP)/iban", token: token)
            #expect(again.status == 409 && again.json["upstreamCode"] as? String == "INSTRUMENT_ALREADY_UPGRADED_TO_IBAN")

            #expect(try await gateway.simulatorPost("/_simulator/accounts/\(Seed.accountGBP)/iban/allocate").status == 200)
            let allocated = try await gateway.call("GET", "/v1/accounts/\(Seed.accountGBP)/iban", token: token)
            #expect(allocated.json["state"] as? String == "allocated")
            #expect((allocated.json["details"] as? [[String: Any]])?.first?["type"] as? String == "faster_payments")
            let rows = try await gateway.services.audit.all(AuditFilter(action: "account.iban.upgrade"))
            #expect(rows.contains { $0.outcome == "success" && $0.details.contains("\"state\":\"pending\"") })
        }
    }

    @Test func gbpAccountsShowFasterPaymentsDetailsAndUnknownAccountsAre404() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let upgraded = try await gateway.call("POST", "/v1/accounts/\(Seed.accountGBP)/iban", token: token)
            let entry = try #require((upgraded.json["details"] as? [[String: Any]])?.first)
            #expect(entry["type"] as? String == "faster_payments")
            #expect((entry["accountNumber"] as? String)?.count == 8 && (entry["sortCode"] as? String)?.count == 6)
            #expect(entry["iban"] is NSNull && entry["bic"] is NSNull && entry["paymentReference"] is NSNull)
            #expect(try await gateway.call("GET", "/v1/accounts/999/iban", token: token).code == "not_found")
            #expect(try await gateway.call("POST", "/v1/accounts/999/iban", token: token).code == "not_found")
            let before = gateway.simulator.capturedRequests.count
            #expect(try await gateway.call("POST", "/v1/accounts/abc/iban", token: token).status == 404)
            #expect(gateway.simulator.capturedRequests.count == before)
            #expect(try await gateway.call("GET", "/v1/accounts/\(Seed.accountGBP)/iban").status == 401)
            #expect(try await gateway.call("GET", "/v1/accounts/\(Seed.accountGBP)/iban?x=1", token: token).status == 422)
        }
    }
}
