import Foundation
import NIOFreeHTTP

/// Helpers for the cards and accounts tests.
extension GatewayHarness {
    /// Alice's seeded cards (acme identity): funded EUR, empty GBP, SYSTEM-blocked EUR, USER-blocked USD, EUR debit.
    enum Seed {
        static let fundedEUR = "100000000000000301"
        static let emptyGBP = "100000000000000302"
        static let systemBlocked = "100000000000000303"
        static let userBlocked = "100000000000000304"
        static let debit = "100000000000000305"
        static let carolsCard = "100000000000000311"
        static let globexCard = "200000000000000301"
        static let accountEUR = "100000000000000201"
        static let accountGBP = "100000000000000202"
        static let alicesCards: Set<String> = [fundedEUR, emptyGBP, systemBlocked, userBlocked, debit]
    }

    static var billingAddress: [String: Any] { ["line1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"] }

    /// `POST /v1/cards` with a valid body for `currency`; `extra` overrides fields.
    func createCard(token: String, name: String = "Test card", currency: String = "EUR", extra: [String: Any] = [:],
                    headers: HTTPHeaders = HTTPHeaders()) async throws -> Reply {
        var body: [String: Any] = ["name": name, "nameOnCard": "Alice Admin", "currency": currency, "billingAddress": Self.billingAddress]
        for (key, value) in extra { body[key] = value }
        return try await call("POST", "/v1/cards", token: token, json: body, headers: headers)
    }

    /// Logs in as alice and verifies a step-up challenge (sandbox code 123456).
    func steppedUpLogin() async throws -> String {
        let token = try await login()
        guard try await call("POST", "/v1/auth/step-up", token: token).status == 202,
              try await call("POST", "/v1/auth/step-up/verify", token: token, json: ["code": "123456"]).status == 200
        else { throw HarnessError("step-up failed") }
        return token
    }

    /// Follows `nextCursor` from `path` (which has its own query) until it is null; the items of every page.
    func collectPages(_ path: String, key: String, token: String, maxPages: Int = 50) async throws -> (items: [[String: Any]], pages: Int) {
        var items: [[String: Any]] = []
        var cursor: String?
        var pages = 0
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let reply = try await call("GET", path + (cursor.map { separator + "cursor=" + $0 } ?? ""), token: token)
            guard reply.status == 200 else { throw HarnessError("page \(pages): \(reply.status) \(reply.text)") }
            items += reply.json[key] as? [[String: Any]] ?? []
            cursor = reply.json["nextCursor"] as? String
            pages += 1
        } while cursor != nil && pages < maxPages
        return (items, pages)
    }

    /// A POST to the simulator's test-only routes (`/_simulator/purchases`, `…/settle`, IBAN allocation): status
    /// and the JSON object answered (empty when none).
    @discardableResult
    func simulatorPost(_ path: String, _ body: [String: Any]? = nil) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(simulatorPort)\(path)")
        if let body {
            request.body = Array(try JSONSerialization.data(withJSONObject: body))
            request.headers.add("content-type", "application/json")
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    /// Captured simulator requests to `path` (exact, without query).
    func weavrRequests(_ method: String, _ path: String) -> [CapturedRequestView] {
        simulator.capturedRequests.filter { $0.method == method && $0.path == path }.map {
            CapturedRequestView(headers: Dictionary($0.headers.map { ($0[0].lowercased(), $0[1]) }, uniquingKeysWith: { first, _ in first }), body: $0.body, query: $0.query)
        }
    }

    struct CapturedRequestView {
        var headers: [String: String]
        var body: String
        var query: String?
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }
}

extension GatewayHarness.Reply {
    /// The `name`s of `invalidFields`.
    var invalidFieldNames: Set<String> {
        Set((json["invalidFields"] as? [[String: String]])?.compactMap { $0["name"] } ?? [])
    }
}
