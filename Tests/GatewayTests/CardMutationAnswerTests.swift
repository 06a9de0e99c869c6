import Foundation
@testable import Gateway
import NIOFreeHTTP
import Testing
import Upstream
import WeavrSimulator

/// What a client is told around Weavr trouble: a block or unblock Weavr performed is always 200 with the card,
/// a timeout stays 504 even when the circuit opened meanwhile, and an open circuit says when to come back.
@Suite("Card mutation answers")
struct CardMutationAnswerTests {
    typealias Seed = GatewayHarness.Seed

    /// Runs `method path` while Weavr's `action` takes 300 ms, and breaks `GET /managed_cards/{id}` once the
    /// action has reached Weavr, so that only the re-read after it fails.
    private static func withFailingReRead(_ gateway: GatewayHarness, token: String, card: String, action: String) async throws -> GatewayHarness.Reply {
        gateway.simulator.setFault(.latency(.milliseconds(300)), for: "POST", path: "/managed_cards/{id}/\(action)")
        let call = Task { try await gateway.call("POST", "/v1/cards/\(card)/\(action)", token: token) }
        let deadline = ContinuousClock.now + .seconds(20)
        while gateway.weavrRequests("POST", "/managed_cards/\(card)/\(action)").isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        gateway.simulator.setFault(.status(503), for: "GET", path: "/managed_cards/{id}")
        let reply = try await call.value
        gateway.simulator.clearFaults()
        return reply
    }

    @Test func aBlockOrUnblockWhoseReReadFailsIsStill200WithTheCard() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        let blocked = try await Self.withFailingReRead(gateway, token: token, card: Seed.emptyGBP, action: "block")
        #expect(blocked.status == 200, "\(blocked.text)")
        #expect(Set(blocked.json.keys) == CardsRoutesTests.cardKeys)
        #expect(blocked.json["id"] as? String == Seed.emptyGBP)
        #expect(blocked.json["state"] as? String == "blocked")
        #expect(blocked.json["blockedReason"] as? String == "user")
        #expect(blocked.json["name"] as? String == "Office supplies")
        // What the answer says is what Weavr holds.
        let read = try await gateway.call("GET", "/v1/cards/" + Seed.emptyGBP, token: token)
        #expect(read.json["state"] as? String == "blocked")

        let unblocked = try await Self.withFailingReRead(gateway, token: token, card: Seed.emptyGBP, action: "unblock")
        #expect(unblocked.status == 200, "\(unblocked.text)")
        #expect(unblocked.json["state"] as? String == "active")
        #expect(unblocked.json["blockedReason"] is NSNull)
        #expect(try await gateway.call("GET", "/v1/cards/" + Seed.emptyGBP, token: token).json["state"] as? String == "active")
        await gateway.shutdown()
    }

    @Test func aCircuitOpenAnswerCarriesRetryAfterNoShorterThanTheRemainingCoolDown() async throws {
        var settings = GatewayServices.Settings()
        settings.weavr.retry.maxRetries = 0
        let gateway = try await GatewayHarness(settings: settings)
        let token = try await gateway.login()
        gateway.simulator.setFault(.status(503), for: "GET", path: "/managed_cards")
        for _ in 0..<5 {
            #expect(try await gateway.call("GET", "/v1/cards", token: token).status == 503)
        }
        let before = gateway.simulator.capturedRequests.count
        let refused = try await gateway.call("GET", "/v1/cards", token: token)
        let breaker = try #require(gateway.services.weavrAccess.breakers.all.values.first)
        let remaining = breaker.remainingCoolDown
        #expect(gateway.simulator.capturedRequests.count == before, "the circuit is open")
        #expect(refused.status == 503)
        #expect(refused.code == "upstream_unavailable")
        let retryAfter = try #require(refused.headers["retry-after"].flatMap { Int($0) })
        #expect(remaining > .seconds(1))
        #expect(Double(retryAfter) >= Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18)
        #expect(retryAfter <= 10, "the cool-down is 10 s")
        await gateway.shutdown()
    }

    @Test func aTimeoutWhoseCircuitOpenedBeforeTheRetryIs504() async throws {
        var settings = GatewayServices.Settings()
        settings.weavr.attemptTimeout = .milliseconds(200)
        settings.weavr.overallTimeout = .seconds(5)
        settings.weavr.retry.maxRetries = 2
        settings.weavr.retry.baseDelay = .milliseconds(10)
        settings.weavr.retry.maxDelay = .milliseconds(20)
        let gateway = try await GatewayHarness(settings: settings)
        let token = try await gateway.login()
        // Three failed attempts (one call with its two retries) of the five that open the circuit.
        gateway.simulator.setFault(.status(503), for: "GET", path: "/managed_cards/{id}")
        #expect(try await gateway.call("GET", "/v1/cards/" + Seed.fundedEUR, token: token).status == 503)
        // Then two attempts time out, the second opening the circuit; the third is refused by it.
        gateway.simulator.setFault(.latency(.seconds(1)), for: "GET", path: "/managed_cards/{id}")
        let slow = try await gateway.call("GET", "/v1/cards/" + Seed.fundedEUR, token: token)
        #expect(gateway.services.weavrAccess.breakers.all.values.first?.state == .open)
        #expect(slow.status == 504, "\(slow.text)")
        #expect(slow.code == "upstream_timeout")
        #expect(slow.headers["retry-after"] != nil)
        await gateway.shutdown()
    }
}
