import Foundation
import Testing
import TestSupport
import Upstream
import WeavrSimulator

@Suite struct FaultTests {
    static var tight: WeavrClient.Configuration {
        var configuration = WeavrClient.Configuration.forTests
        configuration.attemptTimeout = .milliseconds(200)
        configuration.overallTimeout = .milliseconds(700)
        return configuration
    }

    @Test func latencyBeyondTheDeadlineTimesOutInBoundedTime() async throws {
        try await withUpstream(clientConfiguration: Self.tight) { harness in
            let token = try await harness.login()
            harness.simulator.setFault(.latency(.seconds(300)), for: "GET", path: "/managed_cards/{id}")
            let start = ContinuousClock.now
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
            let elapsed = elapsedMilliseconds(since: start)
            // Weavr holds every attempt 300 s and then answers with the card: a timeout error is the client's own
            // deadline, not Weavr's answer. No upper bound on the test's clock: at the start of a parallel run the
            // test task itself can wait tens of seconds for a thread (full local runs saw 16.8 s, and 33 s for the
            // whole test, longer than the 20 s hold this test had, so the holds had ended when it looked). Counting
            // the simulator's unanswered requests here raced too: an attempt can reach it after the client gave up.
            #expect(error?.kind == .timeout)
            #expect(elapsed >= 190, "took \(elapsed) ms: gave up before the 200 ms attempt deadline")
            // A GET is retried within the overall budget (how many attempts fit depends on the machine's load);
            // wait until the first has been seen, then none of them was answered: each is still held.
            try await waitUntil(timeout: .seconds(15)) { harness.captured("GET", "/managed_cards/{id}").count >= 1 }
            #expect((1...3).contains(harness.captured("GET", "/managed_cards/{id}").count))
            #expect(harness.simulator.requestsInProgress >= 1, "an attempt was answered before its 300 s hold")
        }
    }

    @Test func connectionResetIsUnavailable() async throws {
        try await withUpstream(clientConfiguration: Self.tight) { harness in
            let token = try await harness.login()
            harness.simulator.setFault(SimulatorFault(kind: .connectionReset), for: "POST", path: "/managed_cards/{id}/remove")
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.removeCard(token: token, id: Demo.emptyGBPCard) }
            guard case .unavailable = error?.kind else {
                Issue.record("expected unavailable, got \(String(describing: error))")
                return
            }
            #expect(harness.captured("POST", "/managed_cards/{id}/remove").count == 1, "remove is never re-sent")
        }
    }

    @Test func garbageBodyIsInvalidResponse() async throws {
        try await withUpstream(clientConfiguration: Self.tight) { harness in
            let token = try await harness.login()
            harness.simulator.setFault(SimulatorFault(kind: .garbageBody), for: "GET", path: "/managed_accounts/{id}")
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.getAccount(token: token, id: Demo.eurAccount) }
            guard case .invalidResponse = error?.kind else {
                Issue.record("expected invalidResponse, got \(String(describing: error))")
                return
            }
            #expect(error?.status == 200 && error?.requestRef != nil)
        }
    }

    @Test func slowTrickleTimesOut() async throws {
        var configuration = Self.tight
        configuration.retry.maxRetries = 0
        try await withUpstream(clientConfiguration: configuration) { harness in
            let token = try await harness.login()
            harness.simulator.setFault(SimulatorFault(kind: .slowTrickle(chunkBytes: 4, interval: .milliseconds(200))), for: "GET", path: "/managed_cards/{id}")
            let start = ContinuousClock.now
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
            let elapsed = elapsedMilliseconds(since: start)
            #expect(error?.kind == .timeout)
            // The trickled card would take about 50 s; the 700 ms budget must end it before. A stuck-test bound,
            // not a speed target: a starved parallel run has taken 15 s here.
            #expect(elapsed < 40000, "took \(elapsed) ms")
        }
    }

    @Test func unreachableHostIsUnavailable() async throws {
        try await withUpstream(clientConfiguration: Self.tight) { harness in
            // Generous deadlines: a refused connect must be reported as such, not outrun by a timer on a busy CI box.
            var generous = Self.tight
            generous.attemptTimeout = .seconds(30)
            generous.overallTimeout = .seconds(60)
            let client = WeavrClient(baseURL: "http://127.0.0.1:1", apiKey: Demo.apiKey, http: harness.http, configuration: generous)
            let error = await weavrError { () async throws(WeavrError) in try await client.loginWithPassword(email: Demo.aliceEmail, password: Demo.alicePassword) }
            #expect(error?.kind == .unavailable("connect failed"))
        }
    }
}
