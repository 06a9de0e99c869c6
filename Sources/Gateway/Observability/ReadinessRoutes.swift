public import NIOFreeHTTP
import Upstream

/// `GET /readyz`: 200 `{"status":"ready","checks":{…}}` when the gateway can serve `/v1`, else 503 with the
/// failing check named. Checks: `database` (`DatabaseReadiness`: a tiny real write within `timeout`, and no
/// write refused for a full or unwritable database in the last `GatewayServices.Settings.readinessFailureWindow`),
/// `signing_keys` (an active key is loaded) and `upstream` (no Weavr circuit is open). `/healthz` stays the
/// liveness check.
public enum ReadinessRoutes {
    /// The database check's deadline. Default 2 s.
    public static let defaultTimeout: Duration = .seconds(2)
    /// The heartbeat write runs at most this often; checks in between reuse its answer. Default 1 s.
    public static let probeInterval: Duration = .seconds(1)

    /// Adds `GET /readyz` to `router`; without services it always answers 503 (`database: not_configured`).
    public static func register(on router: inout Router, services: GatewayServices?, timeout: Duration = defaultTimeout) {
        let readiness = DatabaseReadiness(
            timeout: timeout, failureWindow: services?.settings.readinessFailureWindow ?? .zero, probeInterval: probeInterval
        )
        router.get("/readyz") { _, _ in
            guard let services else {
                return .json(503, #"{"status":"not_ready","checks":{"database":"not_configured"}}"#)
            }
            return await check(services, readiness: readiness)
        }
    }

    static func check(_ services: GatewayServices, readiness: DatabaseReadiness) async -> HTTPResponse {
        let database = await readiness.check(services.database, clock: services.clock)
        let keys = services.keyRing.activeKeyID == nil ? "missing" : "ok"
        let openCircuits = services.weavrAccess.breakers.states.values.filter { $0 == .open }.count
        let upstream = openCircuits == 0 ? "ok" : "circuit_open"
        let ready = database == "ok" && keys == "ok" && upstream == "ok"
        var json = JSONWriter()
        json.beginObject()
        json.field("status", ready ? "ready" : "not_ready")
        json.key("checks")
        json.beginObject()
        json.field("database", database)
        json.field("signing_keys", keys)
        json.field("upstream", upstream)
        json.endObject()
        if openCircuits > 0 { json.field("openCircuits", openCircuits) }
        json.endObject()
        var headers = HTTPHeaders()
        headers.add("cache-control", "no-store")
        return .json(ready ? 200 : 503, json.bytes, headers: headers)
    }
}
