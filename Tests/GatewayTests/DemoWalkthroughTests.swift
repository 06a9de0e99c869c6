import Foundation
import Glibc
import NIOFreeHTTP
import Testing
import TestSupport

/// `weavr-gateway demo` as a newcomer runs it: boots, then login → list cards → issue → block → the audit
/// log shows the block; Ctrl-C stops it cleanly.
@Suite("Demo walkthrough")
struct DemoWalkthroughTests {
    static let binary = CommandLineTests.binary

    @Test(.requiresGatewayBinary)
    func demoBootsAndTheWalkthroughPasses() async throws {
        let directory = NSTemporaryDirectory() + "demo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try RunningProcess(Self.binary, ["demo", "--data-dir", directory + "/data", "--port", "0", "--simulator-port", "0", "--admin-port", "0"])
        defer { process.stop() }
        let banner = try await process.waitForOutput(containing: "Ctrl-C", timeout: .seconds(60))
        func value(after label: String) throws -> String {
            guard let line = banner.split(separator: "\n").first(where: { $0.contains(label) }),
                  let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) else {
                throw TestFailure("no \(label) in the banner:\n\(banner)")
            }
            return String(url)
        }
        let gateway = try value(after: "gateway:")
        let adminURL = try value(after: "admin API:")
        let adminToken = try #require(banner.split(separator: " ").first { $0.hasPrefix("gwa_") }.map { String($0.prefix { $0 != ")" }) })

        let group = EventLoopGroup(threads: 1)
        let client = try HTTPClient(group: group)
        func call(_ method: String, _ url: String, token: String? = nil, json: String? = nil) async throws -> (Int, [String: Any]) {
            var request = HTTPClientRequest(method: method, url: url)
            if let token { request.headers.add("authorization", "Bearer \(token)") }
            if let json {
                request.body = Array(json.utf8)
                request.headers.add("content-type", "application/json")
            }
            let response = try await client.execute(request)
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            return (response.status, object)
        }
        let (loginStatus, login) = try await call("POST", gateway + "/v1/auth/login",
            json: #"{"tenant":"demo","email":"alice@example.com","password":"Password1!","mode":"bearer"}"#)
        #expect(loginStatus == 200)
        let token = try #require(login["token"] as? String)
        let (listStatus, list) = try await call("GET", gateway + "/v1/cards", token: token)
        #expect(listStatus == 200)
        #expect((list["cards"] as? [Any])?.isEmpty == false)
        let (issueStatus, card) = try await call("POST", gateway + "/v1/cards", token: token, json: """
            {"name":"Walkthrough","nameOnCard":"Alice Admin","currency":"EUR",
             "billingAddress":{"line1":"1 Main St","city":"London","postCode":"N1 1AA","country":"GB"}}
            """)
        #expect(issueStatus == 201)
        let cardID = try #require(card["id"] as? String)
        // Fund it, buy something at the simulator, and see both in the card's history.
        let (transferStatus, transfer) = try await call("POST", gateway + "/v1/transfers", token: token, json: """
            {"source":{"type":"account","id":"100000000000000201"},"destination":{"type":"card","id":"\(cardID)"},"amount":2500,"currency":"EUR"}
            """)
        #expect(transferStatus == 201 && transfer["state"] as? String == "completed")
        let simulatorURL = try value(after: "simulator:")
        let (purchaseStatus, _) = try await call("POST", simulatorURL + "/_simulator/purchases",
                                                 json: #"{"cardId":"\#(cardID)","amount":450,"merchantName":"Corner Coffee","merchantCategoryCode":"5814"}"#)
        #expect(purchaseStatus == 201)
        let (historyStatus, history) = try await call("GET", gateway + "/v1/cards/\(cardID)/transactions", token: token)
        #expect(historyStatus == 200)
        let entries = history["transactions"] as? [[String: Any]] ?? []
        #expect(entries.map { $0["type"] as? String } == ["card_payment", "transfer"], "\(entries)")
        #expect((entries.first?["merchant"] as? [String: Any])?["name"] as? String == "Corner Coffee")
        let (cardStatus, funded) = try await call("GET", gateway + "/v1/cards/\(cardID)", token: token)
        #expect(cardStatus == 200 && (funded["balance"] as? [String: Any])?["available"] as? Int == 2050)
        let (blockStatus, blocked) = try await call("POST", gateway + "/v1/cards/\(cardID)/block", token: token)
        #expect(blockStatus == 200)
        #expect(blocked["state"] as? String == "blocked")
        let (auditStatus, audit) = try await call("GET", adminURL + "/admin/v1/audit?target=\(cardID)&action=card.block", token: adminToken)
        #expect(auditStatus == 200)
        let outcomes = (audit["records"] as? [[String: Any]] ?? []).compactMap { $0["outcome"] as? String }
        #expect(outcomes.contains("success"))
        // The simulator told the gateway (a signed webhook to /webhooks/demo): Weavr's side of the block is audited too.
        // (Polled like `waitUntil`, which takes only Sendable closures; 30 s bounds a stuck test.)
        var weavrRows: [[String: Any]] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while weavrRows.isEmpty && ContinuousClock.now < deadline {
            let (_, weavr) = try await call("GET", adminURL + "/admin/v1/audit?target=\(cardID)&action=weavr.card.state_change", token: adminToken)
            weavrRows = weavr["records"] as? [[String: Any]] ?? []
            if weavrRows.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(weavrRows.first?["actor"] as? String == "weavr:system")
        await client.shutdown()
        group.shutdown()

        // Ctrl-C stops it cleanly.
        process.signal(SIGINT)
        #expect(try await process.waitForExit(timeout: .seconds(30)) == 0)
    }
}
