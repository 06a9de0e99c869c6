import Foundation
import Testing
import TestSupport
import Upstream
import WeavrSimulator

@Suite struct RetryTests {
    @Test func getSucceedsThroughTransient503s() async throws {
        var configuration = WeavrClient.Configuration.forTests
        // Half the attempts fail: with 8 retries a call fails only after 9 failures in a row (p ≈ 0.002).
        configuration.retry.maxRetries = 8
        configuration.overallTimeout = .seconds(60)  // a bound for a stuck test on a busy machine, not a target
        try await withUpstream(clientConfiguration: configuration) { harness in
            let token = try await harness.login()
            harness.simulator.setFault(.status(503, rate: 0.5), for: "GET", path: "/managed_cards/{id}")
            for _ in 0..<5 {
                let card = try await harness.client.getCard(token: token, id: Demo.fundedCard)
                #expect(card.value.id == Demo.fundedCard)
            }
            #expect(harness.captured("GET", "/managed_cards/{id}").count > 5, "some attempts were retried")
        }
    }

    @Test func loginIsNeverRetriedOnceSent() async throws {
        try await withUpstream { harness in
            harness.simulator.setFault(.status(503), for: "POST", path: "/login_with_password")
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.loginWithPassword(email: Demo.aliceEmail, password: Demo.alicePassword) }
            #expect(error?.kind == .serverError(status: 503))
            #expect(harness.captured("POST", "/login_with_password").count == 1)
        }
    }

    @Test func mutationWithoutIdempotencyRefIsNotRetried() async throws {
        try await withUpstream { harness in
            let token = try await harness.login()
            harness.simulator.setFault(.status(503), for: "POST", path: "/managed_cards/{id}/block")
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.blockCard(token: token, id: Demo.fundedCard) }
            #expect(error?.kind == .serverError(status: 503))
            #expect(harness.captured("POST", "/managed_cards/{id}/block").count == 1)
        }
    }

    @Test func idempotentPostIsRetriedAndAppliedOnce() async throws {
        var configuration = WeavrClient.Configuration.forTests
        // The first attempt is held 1.5 s and times out at 0.75 s; the next attempts are not held.
        configuration.attemptTimeout = .milliseconds(750)
        configuration.overallTimeout = .seconds(60)
        configuration.retry.baseDelay = .milliseconds(100)
        try await withUpstream(clientConfiguration: configuration) { harness in
            let token = try await harness.login()
            let simulator = harness.simulator
            // The first attempt is slow (it still takes effect, after the client gave up); later ones are not.
            simulator.setFault(.latency(.milliseconds(1500)), for: "POST", path: "/managed_cards")
            let clearer = Task {
                while simulator.capturedRequests.filter({ $0.route == "/managed_cards" && $0.method == "POST" }).isEmpty {
                    try await Task.sleep(for: .milliseconds(2))
                }
                simulator.clearFaults()
            }
            let card = try await harness.client.createCard(token: token, body: Demo.cardBody(name: "Once only"), idempotencyRef: "retry-once-1").value
            try await clearer.value
            #expect(harness.captured("POST", "/managed_cards").count >= 2)
            // The slow first attempt takes effect after the client gave up: wait until the simulator has
            // answered every request (observable), then count the cards.
            try await waitUntil { simulator.requestsInProgress == 0 }
            var filter = CardListFilter()
            filter.friendlyName = "Once only"
            let matching = try await harness.client.listCards(token: token, filter: filter).value
            #expect(matching.items.map(\.id) == [card.id])
        }
    }

    @Test func backoffIsFullJitterWithinExponentialCeiling() {
        var policy = RetryPolicy()
        policy.maxRetries = 5
        let transient = WeavrError(.serverError(status: 503))
        #expect(policy.delay(after: transient, retry: 0, isRepeatable: true) { 1 } == .milliseconds(100))
        #expect(policy.delay(after: transient, retry: 2, isRepeatable: true) { 1 } == .milliseconds(400))
        #expect(policy.delay(after: transient, retry: 4, isRepeatable: true) { 1 } == .milliseconds(1600))
        #expect(policy.delay(after: transient, retry: 4, isRepeatable: true) { 0 } == .zero)
        #expect(policy.delay(after: transient, retry: 5, isRepeatable: true) == nil)
        #expect(policy.delay(after: transient, retry: 0, isRepeatable: false) == nil)
        #expect(policy.delay(after: WeavrError(.serverError(status: 500)), retry: 0, isRepeatable: true) == nil)
        #expect(policy.delay(after: WeavrError(.conflict(code: "X")), retry: 0, isRepeatable: true) == nil)
        #expect(policy.delay(after: WeavrError(.unavailable("connect failed")), retry: 0, isRepeatable: false) != nil)
        #expect(policy.delay(after: WeavrError(.unavailable("connection closed")), retry: 0, isRepeatable: false) == nil)
        #expect(policy.delay(after: WeavrError(.unavailable("circuit open")), retry: 0, isRepeatable: true) == nil)
    }

    @Test func shortRateLimitResetIsHonouredLongOneIsNot() {
        let policy = RetryPolicy()
        #expect(policy.delay(after: WeavrError(.rateLimited(retryAfterSeconds: 1)), retry: 0, isRepeatable: true) == .seconds(1))
        #expect(policy.delay(after: WeavrError(.rateLimited(retryAfterSeconds: 30)), retry: 0, isRepeatable: true) == nil)
        #expect(policy.delay(after: WeavrError(.rateLimited(retryAfterSeconds: 1)), retry: 0, isRepeatable: false) == nil)
    }
}
