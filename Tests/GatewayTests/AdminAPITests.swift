import Audit
import Auth
import Foundation
import Gateway
import NIOFreeHTTP
import Testing

/// The admin API on its own listener, over real sockets.
@Suite("Admin API")
struct AdminAPITests {
    final class Admin: Sendable {
        let gateway: GatewayHarness
        let server: HTTPServer
        let token: String

        init() async throws {
            gateway = try await GatewayHarness()
            let (token, line) = try AdminTokens.generate(name: "ops")
            self.token = token
            var configuration = HTTPServer.Configuration()
            configuration.port = 0
            server = try HTTPServer(configuration: configuration, group: gateway.group,
                                    responder: AdminAPI(services: gateway.services, tokens: try AdminTokens(configuration: line)).makeRouter())
            try server.start()
        }

        func call(_ method: String, _ path: String, token: String? = nil, json: Any? = nil) async throws -> GatewayHarness.Reply {
            var request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(server.localAddress!.port)\(path)")
            request.headers.add("authorization", "Bearer \(token ?? self.token)")
            if let json {
                request.body = Array(try JSONSerialization.data(withJSONObject: json))
                request.headers.add("content-type", "application/json")
            }
            let response = try await gateway.client.execute(request)
            return GatewayHarness.Reply(status: response.status, headers: response.headers, body: response.body)
        }

        func shutdown() async {
            await server.shutdown(gracePeriod: .seconds(1))
            await gateway.shutdown()
        }
    }

    @Test func adminRoutesAreNotOnThePublicListenerAndNeedAToken() async throws {
        let admin = try await Admin()
        #expect(try await admin.gateway.call("GET", "/admin/v1/tenants").status == 404)
        let wrong = try await admin.call("GET", "/admin/v1/tenants", token: "gwa_wrong")
        #expect(wrong.status == 401)
        let listed = try await admin.call("GET", "/admin/v1/tenants")
        #expect(listed.status == 200)
        for reply in [wrong, listed] {
            #expect(reply.headers["x-content-type-options"] == "nosniff" && reply.headers["cache-control"] == "no-store")
        }
        // Wrong admin tokens are counted, one row per client IP and minute (anyone reaching the listener can send them).
        #expect(try await admin.gateway.services.audit.query(AuditFilter(outcome: .denied), limit: 10).records.isEmpty)
        try await admin.gateway.services.denials.flush(everything: true)
        let denied = try await admin.gateway.services.audit.query(AuditFilter(outcome: .denied), limit: 10)
        #expect(denied.records.contains { $0.actor == "anonymous" && $0.details.contains("admin_unauthenticated") && $0.details.contains("\"count\":1") })
        await admin.shutdown()
    }

    @Test func tenantLifecycleKeepsTheAPIKeyWriteOnly() async throws {
        let admin = try await Admin()
        let secret = "admin-created-key-\(UUID().uuidString)"
        let created = try await admin.call("POST", "/admin/v1/tenants", json: [
            "id": "initech", "name": "Initech", "weavrBaseURL": "https://sandbox.weavr.io/multi", "apiKey": secret,
            "cardProfiles": ["prepaid": ["EUR": "101"]], "sessionModes": ["bearer"], "quotas": ["cards.issue": 5],
        ])
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json["apiKeySet"] as? Bool == true)
        #expect(try await admin.gateway.services.tenants.weavrAPIKey(for: "initech") == secret)
        #expect(try await admin.call("POST", "/admin/v1/tenants", json: ["id": "initech", "name": "X", "weavrBaseURL": "https://x.example", "apiKey": "k"]).status == 409)
        let invalid = try await admin.call("POST", "/admin/v1/tenants", json: ["id": "Bad Id!", "name": "X", "weavrBaseURL": "https://x.example", "apiKey": "k"])
        #expect(invalid.status == 422)
        #expect((invalid.json["invalidFields"] as? [[String: String]])?.first?["name"] == "id")
        let patched = try await admin.call("PATCH", "/admin/v1/tenants/initech", json: ["name": "Initech Ltd", "apiKey": secret + "-2"])
        #expect(patched.json["name"] as? String == "Initech Ltd")
        #expect(try await admin.gateway.services.tenants.weavrAPIKey(for: "initech") == secret + "-2")
        #expect(try await admin.call("POST", "/admin/v1/tenants/initech/suspend").json["status"] as? String == "suspended")
        #expect(try await admin.call("POST", "/admin/v1/tenants/initech/activate").json["status"] as? String == "active")
        #expect(try await admin.call("DELETE", "/admin/v1/tenants/initech").status == 204)
        #expect(try await admin.call("GET", "/admin/v1/tenants/initech").status == 404)
        // The key is in no answer and no audit row.
        let list = try await admin.call("GET", "/admin/v1/tenants")
        #expect(!list.text.contains(secret))
        var export: [UInt8] = []
        _ = try await admin.gateway.services.audit.export(format: .ndjson) { export.append(contentsOf: $0) }
        #expect(!String(decoding: export, as: UTF8.self).contains(secret))
        #expect(String(decoding: export, as: UTF8.self).contains("admin.tenant.create"))
        await admin.shutdown()
    }

    @Test func suspendingATenantStopsItsSessionsAndRevokingEndsOne() async throws {
        let admin = try await Admin()
        let alice = try await admin.gateway.login()
        let bob = try await admin.gateway.login(email: "bob@example.com", password: "Password2!")
        let sessions = try await admin.call("GET", "/admin/v1/tenants/acme/sessions")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(sessions.body)) as? [[String: Any]])
        #expect(list.count == 2)
        #expect(!sessions.text.contains("simtok."))
        let aliceSid = try #require(list.first { $0["userId"] as? String == "100000000000000101" }?["sid"] as? String)
        // Both sessions in use first, so that on SQLite both are in the gateway's session cache.
        #expect(try await admin.gateway.call("GET", "/v1/me", token: alice).status == 200)
        #expect(try await admin.gateway.call("GET", "/v1/me", token: bob).status == 200)
        #expect(try await admin.call("DELETE", "/admin/v1/tenants/acme/sessions/\(aliceSid)").status == 204)
        #expect(try await admin.gateway.call("GET", "/v1/me", token: alice).status == 401)
        #expect(try await admin.gateway.call("GET", "/v1/me", token: bob).status == 200)
        _ = try await admin.call("POST", "/admin/v1/tenants/acme/suspend")
        #expect(try await admin.gateway.call("GET", "/v1/me", token: bob).status == 401)
        _ = try await admin.call("POST", "/admin/v1/tenants/acme/activate")
        #expect(try await admin.call("DELETE", "/admin/v1/tenants/acme/sessions").json["revoked"] as? Int == 1)
        #expect(try await admin.gateway.call("GET", "/v1/me", token: bob).status == 401)
        await admin.shutdown()
    }

    @Test func keyRotationAndRetirement() async throws {
        let admin = try await Admin()
        let token = try await admin.gateway.login()
        let oldKid = String(token.split(separator: ".")[1])
        let rotated = try await admin.call("POST", "/admin/v1/keys/rotate")
        #expect(rotated.status == 201)
        #expect(try await admin.gateway.call("GET", "/v1/me", token: token).status == 200)
        let keys = try await admin.call("GET", "/admin/v1/keys")
        #expect(keys.text.contains(oldKid))
        #expect(try await admin.call("POST", "/admin/v1/keys/\(rotated.json["kid"] as? String ?? "")/retire").status == 409)  // the active key
        #expect(try await admin.call("POST", "/admin/v1/keys/\(oldKid)/retire").status == 200)
        #expect(try await admin.gateway.call("GET", "/v1/me", token: token).status == 401)
        await admin.shutdown()
    }

    @Test func usageAuditQueryExportAndVerify() async throws {
        let admin = try await Admin()
        _ = try await admin.gateway.services.quotas.consume(tenant: "acme", operation: .cardsBlock, amount: 3, limit: 1000, day: nil)
        let usage = try await admin.call("GET", "/admin/v1/tenants/acme/usage")
        let operations = try #require(usage.json["operations"] as? [String: [String: Int]])
        #expect(operations["cards.block"]?["used"] == 3)
        #expect(operations["cards.block"]?["limit"] == 1000)
        _ = try await admin.call("GET", "/admin/v1/tenants")
        let query = try await admin.call("GET", "/admin/v1/audit?action=admin.tenant.list&limit=10")
        let records = try #require(query.json["records"] as? [[String: Any]])
        #expect(records.contains { $0["actor"] as? String == "admin:ops" })
        let ndjson = try await admin.call("GET", "/admin/v1/audit/export?format=ndjson")
        #expect(ndjson.headers["transfer-encoding"] == nil || ndjson.headers["content-type"] == "application/x-ndjson")
        let lines = ndjson.text.split(separator: "\n")
        #expect(lines.count >= 2)
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil) }
        let csv = try await admin.call("GET", "/admin/v1/audit/export?format=csv")
        #expect(csv.text.hasPrefix("seq,"))
        #expect(try await admin.call("GET", "/admin/v1/audit/export?format=xml").status == 422)
        let verify = try await admin.call("GET", "/admin/v1/audit/verify")
        #expect(verify.status == 200)
        #expect(verify.json["ok"] as? Bool == true)
        await admin.shutdown()
    }
}
