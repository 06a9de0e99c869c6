import Audit
import Foundation
import Gateway
import NIOFreeHTTP
import Testing
import TestSupport

/// A card's limits and its physical life end to end: client → gateway → simulator over real sockets; the
/// simulator's purchases obey the limits, and every change is audited with what it changed and why.
@Suite("Card limits and physical cards")
struct CardControlsRoutesTests {
    typealias Seed = GatewayHarness.Seed

    static let limitKeys: Set<String> = ["spendLimits", "minAmount", "maxAmount", "channels", "merchantCategories", "merchantCountries", "merchants"]

    /// A purchase at the simulator's test-only merchant; returns its status (`SETTLEMENT_IN_PROGRESS` or `DECLINED`).
    static func purchase(_ gateway: GatewayHarness, card: String, amount: Int, mcc: String = "5411", channel: String? = nil) async throws -> String? {
        var body: [String: Any] = ["cardId": card, "amount": amount, "merchantName": "Shop", "merchantCategoryCode": mcc]
        if let channel { body["channel"] = channel }
        var request = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(gateway.simulatorPort)/_simulator/purchases")
        request.body = Array(try JSONSerialization.data(withJSONObject: body))
        request.headers.add("content-type", "application/json")
        let response = try await gateway.client.execute(request)
        return ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any])?["status"] as? String
    }

    @Test func limitsAreReadReplacedChangedAndRemovedAndPurchasesObeyThem() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let path = "/v1/cards/\(Seed.fundedEUR)/limits"
            let none = try await gateway.call("GET", path, token: token)
            #expect(none.status == 200 && Set(none.json.keys) == Self.limitKeys, "\(none.text)")
            #expect((none.json["spendLimits"] as? [Any])?.isEmpty == true && none.json["maxAmount"] is NSNull)

            let set = try await gateway.call("PUT", path, token: token, json: [
                "spendLimits": [["interval": "daily", "amount": 1_000, "currency": "EUR"]],
                "maxAmount": 600,
                "channels": ["atm": false],
                "merchantCategories": ["blocked": ["7995"]],
            ])
            #expect(set.status == 200, "\(set.text)")
            #expect((set.json["spendLimits"] as? [[String: Any]])?.first?["amount"] as? Int == 1_000)
            #expect(set.json["maxAmount"] as? Int == 600)
            #expect((set.json["channels"] as? [String: Any])?["atm"] as? Bool == false)
            #expect((set.json["channels"] as? [String: Any])?["contactless"] is NSNull)
            #expect(((set.json["merchantCategories"] as? [String: Any])?["blocked"] as? [String]) == ["7995"])

            // The simulator declines what the limits forbid.
            #expect(try await Self.purchase(gateway, card: Seed.fundedEUR, amount: 100, mcc: "7995") == "DECLINED")
            #expect(try await Self.purchase(gateway, card: Seed.fundedEUR, amount: 700) == "DECLINED")
            #expect(try await Self.purchase(gateway, card: Seed.fundedEUR, amount: 100, channel: "atm") == "DECLINED")
            #expect(try await Self.purchase(gateway, card: Seed.fundedEUR, amount: 500) == "SETTLEMENT_IN_PROGRESS")
            #expect(try await Self.purchase(gateway, card: Seed.fundedEUR, amount: 600) == "DECLINED")  // 500 + 600 > 1,000 today

            // A change keeps what it does not name.
            let changed = try await gateway.call("PATCH", path, token: token, json: ["maxAmount": 2_000])
            #expect(changed.status == 200 && changed.json["maxAmount"] as? Int == 2_000, "\(changed.text)")
            #expect((changed.json["spendLimits"] as? [[String: Any]])?.count == 1)

            // A replace is the whole set: the ATM rule and the blocked category are gone.
            let replaced = try await gateway.call("PUT", path, token: token, json: ["minAmount": 50])
            #expect(replaced.status == 200 && replaced.json["minAmount"] as? Int == 50, "\(replaced.text)")
            #expect((replaced.json["channels"] as? [String: Any])?["atm"] is NSNull)
            #expect((replaced.json["spendLimits"] as? [Any])?.isEmpty == true)

            // A replace Weavr refuses (a limit in another currency) leaves the limits as they were.
            let refused = try await gateway.call("PUT", path, token: token,
                                                 json: ["spendLimits": [["interval": "weekly", "amount": 100, "currency": "GBP"]]])
            #expect(refused.status == 409 && refused.code == "conflict", "\(refused.text)")
            #expect(try await gateway.call("GET", path, token: token).json["minAmount"] as? Int == 50)

            #expect(try await gateway.call("DELETE", path, token: token).status == 204)
            #expect(try await gateway.call("GET", path, token: token).json["minAmount"] is NSNull)

            let rows = try await gateway.services.audit.all(AuditFilter(action: "card.limits.update", outcome: .success))
            #expect(rows.count == 4 && rows.allSatisfy { $0.target == Seed.fundedEUR })
            #expect(rows.first?.details.contains("\"after\":\"daily 1000 EUR; max 600; atm off; merchantCategories blocked 1\"") == true,
                    "\(rows.first?.details ?? "")")
            #expect(rows.first?.details.contains("\"before\":\"none\"") == true)
            #expect(rows.last?.details.contains("\"change\":\"remove\"") == true)
        }
    }

    @Test func badLimitsAreRefusedBeforeWeavr() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let path = "/v1/cards/\(Seed.fundedEUR)/limits"
            let before = gateway.simulator.capturedRequests.count
            for (body, field) in [
                (["spendLimits": [["interval": "hourly", "amount": 1, "currency": "EUR"]]], "spendLimits[0].interval"),
                (["spendLimits": [["interval": "daily", "amount": -1, "currency": "EUR"]]], "spendLimits[0].amount"),
                (["spendLimits": [["interval": "daily", "amount": 1, "currency": "EUR"], ["interval": "daily", "amount": 2, "currency": "EUR"]]],
                 "spendLimits[1].interval"),
                (["minAmount": 10, "maxAmount": 5], "maxAmount"),
                (["channels": ["atm": "no"]], "channels.atm"),
                (["channels": ["teleport": true]], "channels.teleport"),
                (["merchantCategories": ["blocked": ["79"]]], "merchantCategories.blocked"),
                (["merchantCountries": ["allowed": ["gb"]]], "merchantCountries.allowed"),
                (["colour": "red"], "colour"),
            ] as [([String: Any], String)] {
                let reply = try await gateway.call("PUT", path, token: token, json: body)
                #expect(reply.status == 422 && reply.invalidFieldNames.contains(field), "\(field): \(reply.text)")
            }
            #expect(try await gateway.call("PATCH", path, token: token, json: [String: Any]()).status == 422)
            #expect(gateway.simulator.capturedRequests.filter { $0.path.hasSuffix("/spend_rules") && $0.method != "GET" }.isEmpty)
            #expect(gateway.simulator.capturedRequests.count >= before)
        }
    }

    @Test func aPhysicalCardIsOrderedActivatedReportedAndReplacedWithItsReasonsAudited() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            let card = Seed.fundedEUR
            let address: [String: Any] = ["name": "Alice", "surname": "Admin", "line1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"]
            #expect(try await gateway.call("POST", "/v1/cards/\(card)/physical", token: token, json: ["deliveryMethod": "courier"]).invalidFieldNames
                == ["deliveryAddress"])
            let upgraded = try await gateway.call("POST", "/v1/cards/\(card)/physical", token: token,
                                                  json: ["deliveryAddress": address, "deliveryMethod": "courier", "activationCode": "123456"])
            #expect(upgraded.status == 200, "\(upgraded.text)")
            #expect(upgraded.json["type"] as? String == "physical")
            #expect((upgraded.json["physical"] as? [String: Any])?["activated"] as? Bool == false)
            #expect((upgraded.json["physical"] as? [String: Any])?["deliveryMethod"] as? String == "courier")
            let again = try await gateway.call("POST", "/v1/cards/\(card)/physical", token: token, json: ["deliveryAddress": address])
            #expect(again.status == 409 && again.json["upstreamCode"] as? String == "INSTRUMENT_ALREADY_UPGRADED_TO_PHYSICAL")

            #expect(try await gateway.call("POST", "/v1/cards/\(card)/physical/activate", token: token, json: ["activationCode": "12ab"])
                .invalidFieldNames == ["activationCode"])
            let wrong = try await gateway.call("POST", "/v1/cards/\(card)/physical/activate", token: token, json: ["activationCode": "654321"])
            #expect(wrong.status == 409 && wrong.json["upstreamCode"] as? String == "ACTIVATION_CODE_INVALID", "\(wrong.text)")
            let activated = try await gateway.call("POST", "/v1/cards/\(card)/physical/activate", token: token, json: ["activationCode": "123456"])
            #expect(activated.status == 200 && (activated.json["physical"] as? [String: Any])?["activated"] as? Bool == true, "\(activated.text)")

            // The PIN: only to a stepped-up session, only as Weavr's token, never stored for replay.
            #expect(try await gateway.call("POST", "/v1/cards/\(card)/physical/pin", token: token).code == "step_up_required")
            let stepped = try await gateway.steppedUpLogin()
            var headers = HTTPHeaders()
            headers.add("idempotency-key", "pin-1")
            let pin = try await gateway.call("POST", "/v1/cards/\(card)/physical/pin", token: stepped, headers: headers)
            #expect(pin.status == 200, "\(pin.text)")
            let pinToken = try #require((pin.json["pin"] as? [String: Any])?["token"] as? String)
            #expect(!pinToken.isEmpty && !pinToken.allSatisfy(\.isNumber))
            #expect(pin.headers["cache-control"] == "no-store" && pin.headers["idempotent-replayed"] == nil)
            let stored = try await gateway.database.read { try $0.query("SELECT count(*) FROM idempotency_keys")[0][0].int64Value ?? -1 }
            #expect(stored == 0)
            #expect(try await gateway.services.audit.all(AuditFilter(action: "card.pin.reveal", outcome: .success)).count == 1)

            #expect(try await gateway.call("POST", "/v1/cards/\(card)/physical/report", token: token, json: ["reason": "broken"])
                .invalidFieldNames == ["reason"])
            let reported = try await gateway.call("POST", "/v1/cards/\(card)/physical/report", token: token, json: ["reason": "lost"])
            #expect(reported.status == 200 && reported.json["state"] as? String == "blocked", "\(reported.text)")
            #expect(reported.json["blockedReason"] as? String == "lost")

            let replaced = try await gateway.call("POST", "/v1/cards/\(card)/physical/replace", token: token,
                                                  json: ["reason": "lost_stolen", "activationCode": "222222"])
            #expect(replaced.status == 201, "\(replaced.text)")
            let newID = try #require(replaced.json["id"] as? String)
            #expect(newID != card && replaced.headers["location"] == "/v1/cards/" + newID)
            #expect(try await gateway.call("GET", "/v1/cards/\(card)", token: token).json["state"] as? String == "destroyed")

            let audit = gateway.services.audit
            #expect(try await audit.all(AuditFilter(action: "card.report", outcome: .success)).first?.details.contains("\"reason\":\"lost\"") == true)
            let replacement = try #require(try await audit.all(AuditFilter(action: "card.replace", outcome: .success)).first)
            #expect(replacement.details.contains("\"reason\":\"lost_stolen\"") && replacement.details.contains(newID))
            #expect(try await audit.all(AuditFilter(action: "card.physical.upgrade", outcome: .success)).first?.details.contains("courier") == true)
            // No activation code, PIN or token in any audit row.
            for row in try await audit.all(AuditFilter()) {
                #expect(!row.allText.contains("123456") && !row.allText.contains(pinToken))
            }
        }
    }

    /// The secrets of the money and card-control routes — activation codes, the tokenised PIN, Weavr's api-key
    /// and user token — never reach the access log, the audit rows or the database file; the PIN token reaches
    /// only the one response that reveals it. Nothing shaped like a card number is stored at all.
    @Test func cardControlSecretsStayOutOfLogsRowsAndTheDatabaseFile() async throws {
        let gateway = try await GatewayHarness(backend: .sqlite)  // SQLite-specific: reads the SQLite file as bytes
        do {
            let token = try await gateway.steppedUpLogin()
            let card = Seed.fundedEUR
            let address: [String: Any] = ["name": "Alice", "surname": "Admin", "line1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"]
            #expect(try await gateway.call("POST", "/v1/cards/\(card)/physical", token: token, json: ["deliveryAddress": address, "activationCode": "918273"]).status == 200)
            #expect(try await gateway.call("POST", "/v1/cards/\(card)/physical/activate", token: token, json: ["activationCode": "918273"]).status == 200)
            let pin = try await gateway.call("POST", "/v1/cards/\(card)/physical/pin", token: token)
            let pinToken = try #require((pin.json["pin"] as? [String: Any])?["token"] as? String)
            #expect(try await gateway.call("POST", "/v1/transfers", token: token, json: TransfersRoutesTests.transfer(
                ("account", Seed.accountEUR), ("card", card), 1_000)).status == 201)
            #expect(try await gateway.call("PUT", "/v1/cards/\(card)/limits", token: token, json: ["maxAmount": 5_000]).status == 200)
            #expect(try await gateway.call("POST", "/v1/cards/\(card)/physical/replace", token: token,
                                           json: ["reason": "damaged", "activationCode": "564738"]).status == 202)

            let log = gateway.accessLog.all
            let rows = try await gateway.services.audit.all(AuditFilter()).map(\.allText).joined(separator: "\n")
            let database = gateway.databaseBytes()
            #expect(!log.isEmpty && !rows.isEmpty && !database.isEmpty)
            for secret in ["918273", "564738", pinToken, "sim-demo-api-key", "simtok."] {
                #expect(!log.contains(secret), "\(secret) in the access log")
                #expect(!rows.contains(secret), "\(secret) in an audit row")
                #expect(!database.contains(bytes: Array(secret.utf8)), "\(secret) in the database file")
            }
            let transcript = gateway.transcript.withLock { $0 }
            #expect(transcript.filter { $0.contains(pinToken) }.count == 1, "the PIN token left the server more than once")
            #expect(!transcript.joined().contains("sim-demo-api-key") && !transcript.joined().contains("simtok."))
            // Fifteen or sixteen digits standing alone, not starting with 0 (a card number's shape; Weavr ids have
            // 18 digits, times 13, request ids end in a zero-padded counter): none in the rows or the log.
            // Tokens split at anything but letters and digits, so digits inside a hex hash are not counted.
            let runs = (rows + "\n" + log).split(whereSeparator: { !$0.isASCII || !($0.isLetter || $0.isNumber) })
                .filter { ($0.count == 15 || $0.count == 16) && $0.first != "0" && $0.allSatisfy(\.isNumber) }
            #expect(runs.isEmpty, "\(runs.prefix(5))")
        } catch {
            await gateway.shutdown()
            throw error
        }
        await gateway.shutdown()
    }
}
