import Auth
import Foundation
@testable import Gateway
import GatewayCore
import NIOFreeHTTP
import Storage
import Testing
import TestSupport
import WeavrSimulator

/// `Idempotency-Key` on `/v1` mutations, end to end over real sockets (client → gateway → simulator).
@Suite("Idempotency-Key")
struct IdempotencyTests {
    static let body = #"{"amount":1}"#

    @Test func aRepeatReplaysTheStoredResponseWithoutCallingWeavrAgain() async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let token = try await server.harness.login()
        let first = try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-1"])
        #expect(first.status == 201)
        #expect(first.headers["idempotent-replayed"] == nil)
        let second = try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-1"])
        #expect(second.status == 201)
        #expect(second.body == first.body)
        #expect(second.headers["idempotent-replayed"] == "true")
        #expect(second.headers["location"] == first.headers["location"])
        #expect(second.headers["content-type"] == "application/json")
        #expect(second.headers["x-not-replayed"] == nil)  // only content-type and location are stored
        #expect(second.headers["x-request-id"] != first.headers["x-request-id"])
        #expect(server.weavrCalls == 1)
        #expect(server.handlerRuns == 1)
        // The Weavr idempotency-ref derived from the key was forwarded.
        let captured = try #require(server.harness.simulator.capturedRequests.first { $0.route == TestRouteServer.weavrRoute })
        #expect(captured.headers.contains { $0[0].lowercased() == "idempotency-ref" && $0[1].count == 32 })
        await server.shutdown()
    }

    @Test func withoutAKeyEveryRequestRuns() async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let token = try await server.harness.login()
        for _ in 0..<2 {
            #expect(try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body).status == 201)
        }
        #expect(server.weavrCalls == 2)
        await server.shutdown()
    }

    @Test func theSameKeyWithADifferentBodyIsRefused() async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let token = try await server.harness.login()
        #expect(try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-2"]).status == 201)
        let other = try await server.call("POST", "/v1/test/step-up", token: token, body: #"{"amount":2}"#, headers: ["idempotency-key": "k-2"])
        #expect(other.status == 422)
        #expect(other.code == "idempotency_key_reused")
        let otherRoute = try await server.call("POST", "/v1/test/conflict", token: token, body: Self.body, headers: ["idempotency-key": "k-2"])
        #expect(otherRoute.code == "idempotency_key_reused")
        #expect(server.weavrCalls == 1)
        await server.shutdown()
    }

    @Test func aRepeatWhileTheFirstIsRunningGets409() async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let token = try await server.harness.login()
        server.harness.simulator.setFault(.latency(.milliseconds(1500)), for: "POST", path: TestRouteServer.weavrRoute)
        async let first = server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-3"])
        // Observable state, not a guess: Weavr has the first call (so its key is claimed) and is holding it.
        try await waitUntil(timeout: .seconds(30)) { server.weavrCalls == 1 }
        let second = try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-3"])
        #expect(second.status == 409)
        #expect(second.code == "idempotency_in_flight")
        #expect(second.headers["retry-after"] == "1")
        #expect(try await first.status == 201)
        server.harness.simulator.clearFaults()
        let third = try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-3"])
        #expect(third.headers["idempotent-replayed"] == "true")
        #expect(server.weavrCalls == 1)
        await server.shutdown()
    }

    @Test func storedResponsesExpireAfter24Hours() async throws {
        let clock = ManualWallClock()
        let server = try TestRouteServer(try await GatewayHarness(clock: clock))
        let first = try await server.call("POST", "/v1/test/step-up", token: try await server.harness.login(), body: Self.body, headers: ["idempotency-key": "k-4"])
        #expect(first.json["run"] as? Int == 1)
        clock.advance(by: 23 * 3_600_000)
        let replay = try await server.call("POST", "/v1/test/step-up", token: try await server.harness.login(), body: Self.body, headers: ["idempotency-key": "k-4"])
        #expect(replay.headers["idempotent-replayed"] == "true")
        #expect(replay.json["run"] as? Int == 1)
        clock.advance(by: 3_600_000)
        let fresh = try await server.call("POST", "/v1/test/step-up", token: try await server.harness.login(), body: Self.body, headers: ["idempotency-key": "k-4"])
        #expect(fresh.status == 201)
        #expect(fresh.headers["idempotent-replayed"] == nil)
        #expect(fresh.json["run"] as? Int == 2)
        #expect(server.weavrCalls == 2)
        await server.shutdown()
    }

    @Test func upstreamFailuresAreNotStoredSoARetryRuns() async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let token = try await server.harness.login()
        server.harness.simulator.setFault(.status(500), for: "POST", path: TestRouteServer.weavrRoute)
        let failed = try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-5"])
        #expect(failed.status >= 500)
        server.harness.simulator.clearFaults()
        let retry = try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-5"])
        #expect(retry.status == 201)
        #expect(retry.headers["idempotent-replayed"] == nil)
        await server.shutdown()
    }

    @Test func clientErrorsAreStoredAndReplayed() async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let token = try await server.harness.login()
        let first = try await server.call("POST", "/v1/test/conflict", token: token, body: Self.body, headers: ["idempotency-key": "k-6"])
        #expect(first.status == 409)
        #expect(first.code == "conflict")
        let second = try await server.call("POST", "/v1/test/conflict", token: token, body: Self.body, headers: ["idempotency-key": "k-6"])
        #expect(second.status == 409)
        #expect(second.body == first.body)
        #expect(second.headers["content-type"] == "application/problem+json")
        #expect(second.headers["idempotent-replayed"] == "true")
        #expect(server.handlerRuns == 1)
        await server.shutdown()
    }

    @Test func keysAreScopedPerUser() async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let alice = try await server.harness.login()
        let bob = try await server.harness.login(email: "bob@example.com", password: "Password2!")
        let a = try await server.call("POST", "/v1/test/step-up", token: alice, body: Self.body, headers: ["idempotency-key": "shared"])
        let b = try await server.call("POST", "/v1/test/step-up", token: bob, body: Self.body, headers: ["idempotency-key": "shared"])
        #expect(a.status == 201 && b.status == 201)
        #expect(a.headers["idempotent-replayed"] == nil && b.headers["idempotent-replayed"] == nil)
        #expect(server.weavrCalls == 2)
        await server.shutdown()
    }

    @Test func keysOfSessionBoundRoutesNeverReplayIntoALaterSession() async throws {
        let gateway = try await GatewayHarness()
        let first = try await gateway.login()
        #expect(try await gateway.call("POST", "/v1/auth/step-up", token: first, headers: ["idempotency-key": "s"]).status == 202)
        #expect(try await gateway.call("POST", "/v1/auth/logout", token: first, headers: ["idempotency-key": "k"]).status == 204)
        let second = try await gateway.login()
        let challenge = try await gateway.call("POST", "/v1/auth/step-up", token: second, headers: ["idempotency-key": "s"])
        #expect(challenge.status == 202 && challenge.headers["idempotent-replayed"] == nil)
        let verify = try await gateway.call("POST", "/v1/auth/step-up/verify", token: second, json: ["code": "123456"], headers: ["idempotency-key": "v"])
        #expect(verify.status == 200 && verify.json["steppedUp"] as? Bool == true)
        let logout = try await gateway.call("POST", "/v1/auth/logout", token: second, headers: ["idempotency-key": "k"])
        #expect(logout.status == 204)
        #expect(logout.headers["idempotent-replayed"] == nil)
        #expect(try await gateway.call("GET", "/v1/me", token: second).status == 401)  // the second session really ended
        // Within one session the key still replays.
        let third = try await gateway.login()
        #expect(try await gateway.call("POST", "/v1/auth/step-up", token: third, headers: ["idempotency-key": "again"]).status == 202)
        #expect(try await gateway.call("POST", "/v1/auth/step-up", token: third, headers: ["idempotency-key": "again"]).headers["idempotent-replayed"] == "true")
        await gateway.shutdown()
    }

    @Test func aStoreFailureRefusesTheRequestWithoutRunningIt() async throws {
        let server = try TestRouteServer(try await GatewayHarness(), idempotencyStore: FailingIdempotencyStore())
        let token = try await server.harness.login()
        let reply = try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": "k-7"])
        #expect(reply.status == 503)
        #expect(reply.code == "service_unavailable")
        #expect(reply.headers["retry-after"] != nil)
        #expect(server.weavrCalls == 0)
        #expect(server.handlerRuns == 0)
        await server.shutdown()
    }

    @Test(arguments: ["", String(repeating: "k", count: 256), "has space", "tab\tkey"])
    func malformedKeysAreRefused(key: String) async throws {
        let server = try TestRouteServer(try await GatewayHarness())
        let token = try await server.harness.login()
        let reply = try await server.call("POST", "/v1/test/step-up", token: token, body: Self.body, headers: ["idempotency-key": key])
        #expect(reply.status == 422)
        #expect(reply.code == "validation_failed")
        #expect(server.weavrCalls == 0)
        await server.shutdown()
    }
}
