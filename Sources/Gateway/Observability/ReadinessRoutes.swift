public import NIOFreeHTTP
import Storage
import Synchronization
import Upstream

/// `GET /readyz`: 200 `{"status":"ready","checks":{…}}` when the gateway can serve `/v1`, else 503 with the
/// failing check named. Checks: `database` (a job through the writer, within `timeout`: the writer thread runs,
/// `BEGIN IMMEDIATE` gets the lock, and the file is not at `max_page_count`), `signing_keys` (an active key
/// is loaded) and `upstream` (no Weavr circuit is open). `/healthz` stays the liveness check.
public enum ReadinessRoutes {
    /// The database check's deadline. Default 2 s.
    public static let defaultTimeout: Duration = .seconds(2)

    /// Adds `GET /readyz` to `router`; without services it always answers 503 (`database: not_configured`).
    public static func register(on router: inout Router, services: GatewayServices?, timeout: Duration = defaultTimeout) {
        router.get("/readyz") { _, _ in
            guard let services else {
                return .json(503, #"{"status":"not_ready","checks":{"database":"not_configured"}}"#)
            }
            return await check(services, timeout: timeout)
        }
    }

    static func check(_ services: GatewayServices, timeout: Duration) async -> HTTPResponse {
        let database = await databaseCheck(services.database, timeout: timeout)
        let keys = services.keyRing.activeKeyID == nil ? "missing" : "ok"
        let openCircuits = services.weavrClients.breakers.states.values.filter { $0 == .open }.count
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

    /// `ok`, `full`, `unwritable` or `timeout`.
    static func databaseCheck(_ database: Database, timeout: Duration) async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                once.resume("timeout")
            }
            Task {
                do {
                    let full = try await database.write { connection in
                        let pages = try connection.query("PRAGMA page_count")
                        let limit = try connection.query("PRAGMA max_page_count")
                        let free = try connection.query("PRAGMA freelist_count")
                        guard case .integer(let count) = pages.first?[0], case .integer(let max) = limit.first?[0],
                              case .integer(let freePages) = free.first?[0] else { return false }
                        return count >= max && freePages == 0
                    }
                    once.resume(full ? "full" : "ok")
                } catch {
                    once.resume("unwritable")
                }
                timer.cancel()
            }
        }
    }
}

/// Resumes a continuation from whichever of several racers comes first.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
