import Foundation
import Testing
import Upstream
import WeavrSimulator

@Suite struct CircuitBreakerTests {
    @Test func opensFailsFastHalfOpensAndClosesAgainstTheSimulator() async throws {
        let clock = ManualNanosecondClock()
        let breaker = clock.breaker(failureThreshold: 3, coolDown: .seconds(10))
        try await withUpstream(breaker: breaker) { harness in
            let token = try await harness.login()
            harness.simulator.setFault(.status(500), for: "GET", path: "/managed_cards/{id}")
            for _ in 0..<3 {
                let error = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
                #expect(error?.kind == .serverError(status: 500))
            }
            #expect(breaker.state == .open && breaker.timesOpened == 1)

            let sentBefore = harness.simulator.capturedRequests.count
            let start = ContinuousClock.now
            let fast = await weavrError { () async throws(WeavrError) in try await harness.client.listAccounts(token: token) }
            #expect(fast?.kind == .unavailable("circuit open"))
            #expect(elapsedMilliseconds(since: start) < 50)
            #expect(harness.simulator.capturedRequests.count == sentBefore, "no request reached Weavr")

            clock.advance(by: .seconds(10))
            #expect(breaker.state == .halfOpen)
            // The trial fails: open again, for another cool-down.
            let trial = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
            #expect(trial?.kind == .serverError(status: 500))
            #expect(breaker.state == .open && breaker.timesOpened == 2)

            clock.advance(by: .seconds(10))
            harness.simulator.clearFaults()
            _ = try await harness.client.getCard(token: token, id: Demo.fundedCard)
            #expect(breaker.state == .closed)
            _ = try await harness.client.listAccounts(token: token)
        }
    }

    @Test func clientErrorsDoNotCountAndASuccessResetsTheCount() {
        var configuration = CircuitBreaker.Configuration()
        configuration.failureThreshold = 2
        let breaker = CircuitBreaker(configuration: configuration) { 1 }
        breaker.record(breaker.acquire()!, failed: true)
        breaker.record(breaker.acquire()!, failed: false)
        breaker.record(breaker.acquire()!, failed: true)
        #expect(breaker.state == .closed)
        breaker.record(breaker.acquire()!, failed: true)
        #expect(breaker.state == .open && breaker.acquire() == nil)
    }

    @Test func halfOpenLetsExactlyOneTrialThrough() {
        let clock = ManualNanosecondClock()
        var configuration = CircuitBreaker.Configuration()
        configuration.failureThreshold = 1
        let breaker = CircuitBreaker(configuration: configuration) { clock.now() }
        breaker.record(breaker.acquire()!, failed: true)
        clock.advance(by: .seconds(10))
        let trial = breaker.acquire()
        #expect(trial != nil && breaker.acquire() == nil)
        breaker.record(trial!, failed: false)
        #expect(breaker.state == .closed && breaker.acquire() != nil)
    }

    @Test func registrySharesOneBreakerPerBaseURL() {
        let registry = CircuitBreakerRegistry()
        #expect(registry.breaker(for: "https://a") === registry.breaker(for: "https://a"))
        #expect(registry.breaker(for: "https://a") !== registry.breaker(for: "https://b"))
        #expect(registry.states == ["https://a": .closed, "https://b": .closed])
    }
}
