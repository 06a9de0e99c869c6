import Foundation
import Gateway
import NIOFreeHTTP
import Storage
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

    /// The file is capped at its size with a few free pages left: the heartbeat (and the old page check) still
    /// fit, but a write needing more space fails with SQLITE_FULL, as on a full disk. Readiness reports it, and
    /// recovers once writes fit again.
    @Test func notReadyWhileWritesFailForAFullDatabaseEvenWhenTheHeartbeatFits() async throws {
        var settings = GatewayServices.Settings()
        // The refused write counts for the window; a window shorter than a stalled parallel run would let it lapse
        // before /readyz is asked, so it is wide, and recovery is awaited for longer than it.
        settings.readinessFailureWindow = .seconds(10)
        let observed = try await ObservedGateway(settings: settings, backend: .sqlite)  // SQLite-specific: an SQLite file capped
        let database = observed.gateway.database
        #expect(try await observed.call("GET", "/readyz").status == 200)
        try await database.write { connection in
            try connection.execute("CREATE TABLE ballast (b BLOB); CREATE TABLE large (b BLOB)")
            try connection.run("INSERT INTO ballast VALUES (zeroblob(65536))")
        }
        try await database.write { try $0.execute("DELETE FROM ballast") }
        try await database.write { try $0.setMaxPageCount(1) }  // clamped to the current size
        await #expect(throws: StorageError.full) {
            try await database.write { try $0.run("INSERT INTO large VALUES (zeroblob(1048576))") }
        }
        try await database.write { try $0.run("INSERT INTO large VALUES (zeroblob(100))") }  // small writes still fit

        let reply = try await observed.call("GET", "/readyz")
        #expect(reply.status == 503)
        #expect(reply.json["status"] as? String == "not_ready")
        #expect((reply.json["checks"] as? [String: String])?["database"] == "full")

        try await database.write { try $0.setMaxPageCount(1_000_000) }
        try await database.write { try $0.run("INSERT INTO large VALUES (zeroblob(1048576))") }
        let deadline = ContinuousClock.now + .seconds(90)
        var recovered = try await observed.call("GET", "/readyz")
        while recovered.status != 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            recovered = try await observed.call("GET", "/readyz")
        }
        #expect(recovered.status == 200, "\(recovered.text)")
        #expect((recovered.json["checks"] as? [String: String])?["database"] == "ok")
        await observed.shutdown()
    }

    /// A database the writer cannot write (SQLITE_READONLY) is `unwritable`.
    @Test func notReadyWhenTheDatabaseRefusesWrites() async throws {
        let observed = try await ObservedGateway(backend: .sqlite)  // SQLite-specific: SQLite PRAGMA query_only
        try await observed.gateway.database.write { try $0.execute("PRAGMA query_only = ON") }
        let reply = try await observed.call("GET", "/readyz")
        #expect(reply.status == 503)
        #expect((reply.json["checks"] as? [String: String])?["database"] == "unwritable")
        #expect(try await observed.call("GET", "/healthz").status == 200)
        await observed.shutdown()
    }

    @Test func withoutServicesTheGatewayIsNeverReady() async throws {
        let group = EventLoopGroup(threads: 1)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let server = try HTTPServer(configuration: configuration, group: group, responder: GatewayServer.healthRouter())
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
