import Foundation
@testable import Gateway
import NIOFreeHTTP

/// A second public server over a `GatewayHarness`'s services: the real router plus test-only `/v1/test/*`
/// mutations registered through `V1Router`, so idempotency and body limits can be exercised before the
/// cards routes exist. `POST /v1/test/step-up` calls Weavr (a step-up challenge) and answers 201 with
/// `{"run": n}`, n counting handler runs; `POST /v1/test/conflict` answers 409 without calling Weavr;
/// `POST /v1/test/small` takes at most 16 bytes; `POST /v1/test/audited` is an audited step (intent and outcome
/// rows, action `card.block`, target `test-<n>`) that answers 200 without calling Weavr.
final class TestRouteServer: @unchecked Sendable {
    let harness: GatewayHarness
    let server: HTTPServer
    let runs: RunCounter
    var port: Int { server.localAddress!.port }

    static let weavrRoute = "/stepup/challenges/otp/{channel}"

    init(_ harness: GatewayHarness, idempotencyStore: (any IdempotencyStore)? = nil) throws {
        self.harness = harness
        var router = GatewayServer.makeRouter(services: harness.services)
        let v1 = V1Router(services: harness.services, idempotencyStore: idempotencyStore)
        let runs = RunCounter()
        self.runs = runs
        v1.register(on: &router) { routes in
            routes.mutation("POST", "/test/step-up") { call in
                _ = try await call.weavr.stepUpChallenge()
                let run = runs.next()
                return .json(201, #"{"run":\#(run)}"#, headers: ["location": "/v1/test/\(run)", "x-not-replayed": "1"])
            }
            routes.mutation("POST", "/test/conflict") { _ in
                let run = runs.next()
                throw Problem(.conflict, detail: "run \(run)", upstreamCode: "TEST_CONFLICT")
            }
            routes.mutation("POST", "/test/small", bodyLimit: 16) { _ in .json(200, "{}") }
            routes.mutation("POST", "/test/audited", audit: AuditStep(action: .cardBlock, quota: nil, targetParameter: nil)) { call in
                try await call.audited {
                    let run = runs.next()
                    return AuditedOutcome(response: .json(200, #"{"run":\#(run)}"#), target: "test-\(run)")
                }
            }
        }
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        server = try HTTPServer(configuration: configuration, group: harness.group, responder: router)
        try server.start()
    }

    /// Handler runs so far (all test routes).
    var handlerRuns: Int { runs.count }

    /// Weavr step-up challenges the simulator received.
    var weavrCalls: Int {
        harness.simulator.capturedRequests.filter { $0.route == Self.weavrRoute }.count
    }

    func call(_ method: String, _ path: String, token: String, body: String? = nil, headers: HTTPHeaders = HTTPHeaders()) async throws -> GatewayHarness.Reply {
        var request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers)
        request.headers.add("authorization", "Bearer \(token)")
        if let body {
            request.body = Array(body.utf8)
            request.headers.add("content-type", "application/json")
        }
        let response = try await harness.client.execute(request)
        return GatewayHarness.Reply(status: response.status, headers: response.headers, body: response.body)
    }

    func shutdown() async {
        await server.shutdown(gracePeriod: .seconds(1))
        await harness.shutdown()
    }
}
