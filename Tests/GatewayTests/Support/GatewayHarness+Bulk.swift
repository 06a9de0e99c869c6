import Foundation
import NIOFreeHTTP
import WeavrSimulator

/// Helpers for the users and bulk tests: stepped-up logins, cards made directly at the simulator, polling.
extension GatewayHarness {
    /// Logs in and verifies a step-up challenge (sandbox code 123456); returns the gateway token.
    func steppedUpLogin(tenant: String = "acme", email: String = "alice@example.com", password: String = "Password1!") async throws -> String {
        let token = try await login(tenant: tenant, email: email, password: password)
        let challenge = try await call("POST", "/v1/auth/step-up", token: token)
        guard challenge.status == 202 else { throw HarnessError("step-up: \(challenge.status) \(challenge.text)") }
        let verify = try await call("POST", "/v1/auth/step-up/verify", token: token, json: ["code": "123456"])
        guard verify.status == 200 else { throw HarnessError("step-up verify: \(verify.status) \(verify.text)") }
        return token
    }

    /// Calls the simulator directly as Weavr would be called (api-key of the tenant's programme).
    func weavrCall(_ method: String, _ path: String, apiKey: String = "sim-demo-api-key", token: String? = nil, json: Any? = nil) async throws -> Reply {
        guard let base = try await services.tenants.get("acme")?.weavrBaseURL else { throw HarnessError("no tenant") }
        var request = HTTPClientRequest(method: method, url: base + path)
        request.headers.add("api-key", apiKey)
        if let token { request.headers.add("authorization", "Bearer \(token)") }
        if let json {
            request.body = Array(try JSONSerialization.data(withJSONObject: json))
            request.headers.add("content-type", "application/json")
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// A Weavr token for alice, straight from the simulator.
    func weavrToken(email: String = "alice@example.com", password: String = "Password1!") async throws -> String {
        let reply = try await weavrCall("POST", "/login_with_password", json: ["email": email, "password": ["value": password]])
        guard reply.status == 200, let token = reply.json["token"] as? String else { throw HarnessError("weavr login: \(reply.status)") }
        return token
    }

    /// Creates `count` active EUR prepaid cards for acme at the simulator; returns their ids.
    func createCards(_ count: Int) async throws -> [String] {
        let token = try await weavrToken()
        var ids: [String] = []
        for index in 0..<count {
            let reply = try await weavrCall("POST", "/managed_cards", token: token, json: [
                "profileId": "101", "friendlyName": "Bulk card \(index)", "nameOnCard": "Alice Admin", "mode": "PREPAID_MODE", "currency": "EUR",
                "billingAddress": ["addressLine1": "1 Main St", "city": "London", "postCode": "N1 1AA", "country": "GB"],
            ])
            guard reply.status == 200, let id = reply.json["id"] as? String else { throw HarnessError("create card: \(reply.status) \(reply.text)") }
            ids.append(id)
        }
        return ids
    }

    /// Polls `GET /v1/bulk/{id}` until its status is one of `statuses` (or ~10 s pass); returns the last body.
    func waitForBulk(_ id: String, token: String, statuses: Set<String> = ["completed", "partially_completed", "failed", "cancelled"]) async throws -> [String: Any] {
        var last: [String: Any] = [:]
        for _ in 0..<500 {
            let reply = try await call("GET", "/v1/bulk/\(id)", token: token)
            guard reply.status == 200 else { throw HarnessError("get bulk: \(reply.status) \(reply.text)") }
            last = reply.json
            if let status = last["status"] as? String, statuses.contains(status) { return last }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("bulk \(id) stuck: \(last)")
    }

    /// All operations of a bulk, following `nextCursor`.
    func bulkOperations(_ id: String, token: String, limit: Int = 100) async throws -> [[String: Any]] {
        var operations: [[String: Any]] = []
        var cursor: String?
        repeat {
            let path = "/v1/bulk/\(id)/operations?limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let reply = try await call("GET", path, token: token)
            guard reply.status == 200 else { throw HarnessError("operations: \(reply.status) \(reply.text)") }
            operations += reply.json["operations"] as? [[String: Any]] ?? []
            cursor = reply.json["nextCursor"] as? String
        } while cursor != nil
        return operations
    }
}

