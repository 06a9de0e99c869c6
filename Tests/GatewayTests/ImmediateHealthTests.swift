@testable import Gateway
import NIOFreeHTTP
import Testing

/// `/healthz` and `/openapi.json` are answered on the event loop as they are parsed (`Router.immediate`) unless a
/// middleware needs to wait (CORS with an `Origin`): the answer is the same either way, and so are the access-log
/// line and the request metrics.
@Suite("Immediate routes")
struct ImmediateHealthTests {
    @Test func healthIsTheSameOnTheLoopAndThroughAWorker() async throws {
        let observed = try await ObservedGateway()
        // No `Origin`: every middleware takes the immediate path. With one, CORS reads the tenants' origins,
        // so the request goes to a worker.
        let immediate = try await observed.call("GET", "/healthz")
        let viaWorker = try await observed.call("GET", "/healthz", headers: ["origin": "https://nowhere.example"])
        let document = try await observed.call("GET", "/openapi.json")
        for (name, reply) in [("immediate", immediate), ("via a worker", viaWorker)] {
            #expect(reply.status == 200, "\(name)")
            #expect(reply.text == #"{"status":"ok"}"#, "\(name)")
            #expect(reply.headers["content-type"] == "application/json", "\(name)")
            #expect(reply.headers["x-content-type-options"] == "nosniff", "\(name)")
            #expect(reply.headers["referrer-policy"] == "no-referrer", "\(name)")
            #expect(reply.headers["x-request-id"].map(RequestIDMiddleware.isAcceptable) == true, "\(name)")
        }
        #expect(viaWorker.headers["vary"] == "Origin")
        #expect(viaWorker.headers["access-control-allow-origin"] == nil)
        #expect(immediate.headers["vary"] == nil)
        #expect(document.status == 200)
        #expect(document.headers["cache-control"] == "public, max-age=300")
        #expect(document.headers["x-content-type-options"] == "nosniff")

        // One access-log line and one count per request, on either path.
        let health = observed.logObjects.filter { $0["route"] as? String == "/healthz" }
        #expect(health.count == 2)
        #expect(Set(health.compactMap { $0["request_id"] as? String }) == Set([immediate, viaWorker].compactMap { $0.headers["x-request-id"] }))
        #expect(health.allSatisfy { $0["status"] as? Int == 200 && $0["tenant"] == nil && $0["upstream_ms"] as? Double == 0 })
        let samples = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        #expect(samples.value("weavr_gateway_http_requests_total", ["route": "/healthz", "status": "200"]) == 2)
        #expect(samples.value("weavr_gateway_http_requests_total", ["route": "/openapi.json", "status": "200"]) == 1)
        await observed.shutdown()
    }
}
