import Testing
import Upstream
import WeavrSimulator

/// What a caller learns when the circuit breaker is involved: a timeout stays a timeout even when its own
/// failure opened the circuit before the retry, and a refusal says how long the circuit stays open.
@Suite struct CircuitOpenAnswerTests {
    @Test func aTimeoutWhoseCircuitOpenedBeforeTheRetryStaysATimeout() async throws {
        let clock = ManualNanosecondClock()
        let breaker = clock.breaker(failureThreshold: 1)
        var configuration = WeavrClient.Configuration.forTests
        configuration.attemptTimeout = .milliseconds(200)
        try await withUpstream(clientConfiguration: configuration, breaker: breaker) { harness in
            let token = try await harness.login()
            harness.simulator.setFault(.latency(.seconds(1)), for: "GET", path: "/managed_cards/{id}")
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
            #expect(error?.kind == .timeout)
            #expect(error?.isCircuitOpen == false)
            #expect(breaker.state == .open)
            #expect(harness.captured("GET", "/managed_cards/{id}").count == 1, "the retry never left")
        }
    }

    @Test func aRefusalCarriesTheRemainingCoolDown() async throws {
        let clock = ManualNanosecondClock()
        let breaker = clock.breaker(failureThreshold: 1, coolDown: .seconds(10))
        try await withUpstream(breaker: breaker) { harness in
            let token = try await harness.login()
            harness.simulator.setFault(.status(500), for: "GET", path: "/managed_cards/{id}")
            let failed = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
            #expect(failed?.kind == .serverError(status: 500))
            #expect(breaker.state == .open)

            clock.advance(by: .milliseconds(3_500))
            #expect(breaker.remainingCoolDown == .milliseconds(6_500))
            let refused = await weavrError { () async throws(WeavrError) in try await harness.client.listAccounts(token: token) }
            #expect(refused?.isCircuitOpen == true)
            #expect(refused?.retryAfter == .milliseconds(6_500))

            clock.advance(by: .milliseconds(6_500))
            #expect(breaker.remainingCoolDown == .zero)
            #expect(breaker.state == .halfOpen)
        }
    }

    @Test func aClosedCircuitHasNoCoolDownLeft() {
        let breaker = CircuitBreaker { 42 }
        #expect(breaker.remainingCoolDown == .zero)
    }
}
