import Foundation
import Gateway
import NIOFreeHTTP
import Testing
import Upstream

/// `/readyz` (database writable, signing keys loaded, no open Weavr circuit) next to `/healthz` (liveness).
@Suite("Readiness")
struct ReadinessTests {
    @Test func readyWhenTheDatabaseKeysAndCircuitsAreFine() async throws {
        let observed = try await ObservedGateway()
        let reply = try await observed.call("GET", "/readyz")
        #expect(reply.status == 200)
        #expect(reply.json["status"] as? String == "ready")
        #expect(reply.json["checks"] as? [String: String] == ["database": "ok", "signing_keys": "ok", "upstream": "ok"])
        await observed.shutdown()
    }

    @Test func notReadyWhileAWeavrCircuitIsOpen() async throws {
        var settings = GatewayServices.Settings()
        settings.weavr.retry.maxRetries = 0
        let observed = try await ObservedGateway(settings: settings)
        let token = try await observed.login()
        observed.gateway.simulator.setFault(.status(503), for: "GET", path: "/managed_cards")
        for _ in 0..<6 {
            let status = try await observed.call("GET", "/v1/cards", token: token).status
            #expect(status >= 500)
        }
        let reply = try await observed.call("GET", "/readyz")
        #expect(reply.status == 503)
        #expect(reply.json["status"] as? String == "not_ready")
        #expect((reply.json["checks"] as? [String: String])?["upstream"] == "circuit_open")
        #expect((reply.json["checks"] as? [String: String])?["database"] == "ok")
        #expect(reply.json["openCircuits"] as? Int == 1)
        #expect(!reply.text.contains("sim-demo-api-key") && !reply.text.contains("127.0.0.1"))
        #expect(try await observed.call("GET", "/healthz").status == 200)

        let samples = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        #expect(samples.value("weavr_gateway_upstream_circuit_state") == 2)
        #expect(samples.value("weavr_gateway_upstream_requests_total", ["operation": "GET /managed_cards", "outcome": "server_error"]) == 5)
        #expect(samples.value("weavr_gateway_upstream_requests_total", ["operation": "GET /managed_cards", "outcome": "circuit_open"]) == 1)
        await observed.shutdown()
    }

    @Test func notReadyWhenTheDatabaseCannotBeWritten() async throws {
        let observed = try await ObservedGateway()
        observed.gateway.database.close()
        let reply = try await observed.call("GET", "/readyz")
        #expect(reply.status == 503)
        #expect((reply.json["checks"] as? [String: String])?["database"] == "unwritable")
        #expect((reply.json["checks"] as? [String: String])?["signing_keys"] == "ok")
        #expect(try await observed.call("GET", "/healthz").status == 200)
        await observed.shutdown()
    }

    @Test func withoutServicesTheGatewayIsNeverReady() async throws {
        let group = EventLoopGroup(threads: 1)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let server = try HTTPServer(configuration: configuration, group: group, responder: GatewayServer.makeRouter())
        try server.start()
        let client = try HTTPClient(group: group)
        let response = try await client.execute(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(server.localAddress!.port)/readyz"))
        #expect(response.status == 503)
        #expect(String(decoding: response.body, as: UTF8.self).contains("not_configured"))
        await client.shutdown()
        await server.shutdown(gracePeriod: .seconds(1))
        group.shutdown()
    }
}
