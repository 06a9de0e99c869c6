import Foundation
@testable import Gateway
import Logging
import NIOFreeHTTP
import Testing

/// JSON access-log lines: one object per line with the request's facts, and never a secret.
@Suite("Structured logs")
struct StructuredLogTests {
    @Test func accessLinesAreJSONWithTheRequestsFacts() async throws {
        let observed = try await ObservedGateway()
        let token = try await observed.login()
        let listed = try await observed.call("GET", "/v1/cards/\(GatewayHarness.Seed.fundedEUR)", token: token)
        #expect(listed.status == 200)
        _ = try await observed.call("GET", "/healthz")

        let lines = observed.logObjects
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { !$0.isEmpty })
        let card = try #require(lines.first { $0["route"] as? String == "/v1/cards/{id}" })
        #expect(card["level"] as? String == "info")
        #expect(card["message"] as? String == "request")
        #expect(card["logger"] as? String == "access")
        #expect(card["request_id"] as? String == listed.headers["x-request-id"])
        #expect(card["tenant"] as? String == "acme")
        #expect(card["method"] as? String == "GET")
        #expect(card["status"] as? Int == 200)
        #expect(card["client_ip"] as? String == "127.0.0.1")
        let duration = try #require(card["duration_ms"] as? Double)
        let upstream = try #require(card["upstream_ms"] as? Double)
        #expect(upstream > 0 && upstream <= duration)
        let time = try #require(card["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        let health = try #require(lines.first { $0["route"] as? String == "/healthz" })
        #expect(health["tenant"] == nil)
        #expect(health["upstream_ms"] as? Double == 0)
        await observed.shutdown()
    }

    @Test func noSecretReachesALogLine() async throws {
        let observed = try await ObservedGateway()
        let token = try await observed.login()
        #expect(token.hasPrefix("gw1."))
        #expect(try await observed.call("GET", "/v1/cards", token: token).status == 200)
        let created = try await observed.call("POST", "/v1/cards", token: token, json: [
            "name": "Log test", "nameOnCard": "Alice Admin", "currency": "EUR", "billingAddress": GatewayHarness.billingAddress,
        ])
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        #expect(try await observed.call("POST", "/v1/cards/\(id)/block", token: token).status == 200)
        _ = try await observed.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Wrong-Password9!", "mode": "bearer"])
        _ = try await observed.call("GET", "/v1/cards", token: "gw1.forged.token.value")

        let log = observed.logLines.all
        #expect(observed.logObjects.count == 6)
        for secret in ["sim-demo-api-key", GatewayHarness.otherAPIKey, "Password1!", "Wrong-Password9!", "simtok.", "gw1.", token, "Bearer"] {
            #expect(!log.contains(secret), "log contains \(secret)")
        }
        await observed.shutdown()
    }

    @Test func secretNamedMetadataIsRedactedAndStringsAreEscaped() {
        let lines = LogLines()
        let logger = Logger(label: "test") { label in
            JSONLogHandler(label: label, sink: { lines.append(String(decoding: $0, as: UTF8.self)) })
        }
        logger.info("quote \" and\nnewline", metadata: [
            "password": "hunter2", "api-key": "k", "weavr_token": "t", "nested": ["Authorization": "Bearer x", "ok": "yes"], "count": "3",
        ])
        let text = lines.all
        #expect(!text.contains("hunter2") && !text.contains("Bearer x"))
        #expect(text.hasSuffix("\n"))
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        #expect(object?["message"] as? String == "quote \" and\nnewline")
        #expect(object?["password"] as? String == "[redacted]")
        #expect(object?["api-key"] as? String == "[redacted]")
        #expect(object?["weavr_token"] as? String == "[redacted]")
        #expect((object?["nested"] as? [String: String]) == ["Authorization": "[redacted]", "ok": "yes"])
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(951_782_400_123), "2000-02-29T00:00:00.123Z"),
        (Int64(1_767_225_599_999), "2025-12-31T23:59:59.999Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
    ])
    func timestampsAreISO8601UTC(milliseconds: Int64, expected: String) {
        #expect(JSONLogHandler.timestamp(milliseconds: milliseconds) == expected)
    }
}
