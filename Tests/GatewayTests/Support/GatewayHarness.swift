import Auth
import Foundation
@testable import Gateway
import GatewayCore
import NIOFreeHTTP
import Storage
import Synchronization
import Testing
import TestSupport
import WeavrSimulator

/// A whole gateway over real sockets: simulator (two programmes), SQLite in a temp dir, two tenants,
/// the public server on port 0, and a client to call it. Access-log lines are captured for secret scans.
final class GatewayHarness: @unchecked Sendable {
    let directory: String
    let group: EventLoopGroup
    let simulator: WeavrSimulator
    let simulatorClock = ManualSimulatorClock()
    let clock: ManualWallClock?
    let database: Database
    /// The engine: SQLite unless `WEAVR_GATEWAY_TEST_HARNESS_BACKEND=postgres` (the end-to-end suite on PostgreSQL).
    let backend: StoreBackend
    let postgres: PostgresTestDatabase?
    let services: GatewayServices
    let server: HTTPServer
    let client: HTTPClient
    let accessLog = LogLines()
    /// The master key, base64 (for the `tenant` and `keys` commands run on this harness's database).
    let masterKeyBase64: String
    var port: Int { server.localAddress!.port }

    static let otherAPIKey = "sim-other-api-key"
    /// The simulator's port (its test-only `/_simulator/*` routes: purchases, faults).
    let simulatorPort: Int
    /// The simulator's transfer profile for the demo programme.
    static let transferProfile = "401"

    /// `backend` nil: `defaultBackend`. Tests about one engine's own behaviour (an SQLite file filled up, locked
    /// or read as bytes) name it, so the end-to-end suite also runs whole with `WEAVR_GATEWAY_TEST_HARNESS_BACKEND=postgres`.
    init(clock: ManualWallClock? = nil, settings: GatewayServices.Settings = GatewayServices.Settings(),
         tenantModes: Set<Tenant.SessionMode> = [.cookie, .bearer], backend: StoreBackend? = nil) async throws {
        directory = NSTemporaryDirectory() + "gateway-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        group = EventLoopGroup(threads: 2)
        var seed = SimulatorSeed.demo
        seed.programmes.append(SimulatorSeed.Programme(
            apiKey: Self.otherAPIKey,
            cardProfiles: [SimulatorSeed.CardProfile(id: "901", currency: "EUR")],
            identities: [SimulatorSeed.Identity(
                id: "200000000000000001", type: "CORPORATE", name: "Globex",
                users: [SimulatorSeed.User(id: "200000000000000101", email: "dave@example.com", password: "Password4!",
                                           name: "Dave", surname: "Globex", credentialType: "ROOT",
                                           mobileCountryCode: "+44", mobileNumber: "7700900004")],
                managedAccounts: [],
                managedCards: [SimulatorSeed.Card(id: "200000000000000301", profileId: "901", friendlyName: "Globex card", nameOnCard: "Dave Globex")]
            )]
        ))
        simulator = WeavrSimulator(seed: seed, clock: simulatorClock)
        let simulatorAddress = try simulator.start(host: "127.0.0.1", port: 0, group: group)
        simulatorPort = simulatorAddress.port
        self.clock = clock
        self.backend = backend ?? Self.defaultBackend
        switch self.backend {
        case .sqlite:
            postgres = nil
            let path = directory + "/gateway.sqlite"
            database = try await offPool { try Database.open(path: path, migrations: .gateway) }
        case .postgres:
            let postgres = try await PostgresTestDatabase.create()
            self.postgres = postgres
            database = try await postgres.connect(migrations: .gateway, readers: 2)  // many harnesses share one cluster
            database.readOnEventLoops(group.loops, connectionsPerLoop: 1)  // as `serve` does (one each: the cluster is shared)
        }
        client = try HTTPClient(group: group)
        let keyBytes = (0..<MasterKey.length).map { _ in UInt8.random(in: 0...255) }
        masterKeyBase64 = Data(keyBytes).base64EncodedString()
        services = try await GatewayServices(
            database: database, masterKey: try MasterKey(bytes: keyBytes), http: client, settings: settings,
            clock: clock ?? SystemWallClock()
        )
        let base = "http://127.0.0.1:\(simulatorAddress.port)"
        _ = try await services.tenants.create(
            Tenant(id: "acme", name: "Acme", weavrBaseURL: base, cardProfiles: .init(prepaid: ["EUR": "101", "GBP": "102", "USD": "103"], transfer: Self.transferProfile), sessionModes: tenantModes),
            weavrAPIKey: "sim-demo-api-key"
        )
        _ = try await services.tenants.create(
            Tenant(id: "globex", name: "Globex", weavrBaseURL: base, cardProfiles: .init(prepaid: ["EUR": "901"]), sessionModes: tenantModes),
            weavrAPIKey: Self.otherAPIKey
        )
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let log = accessLog
        server = try HTTPServer(configuration: configuration, group: group, responder: GatewayServer.makeRouter(services: services) { entry in
            log.append("\(entry.requestID) \(entry.method) \(entry.route) \(entry.status)")
        })
        try server.start()
    }

    /// The served `/openapi.json` (the bytes `OpenAPIRoutes` sends; `OpenAPITests` checks they are the same):
    /// every response `call` sees is checked against it (`checkContract`).
    var contract: OpenAPIValidator { Self.servedContract }
    static let servedContract = try! OpenAPIValidator(json: OpenAPIDocument.json)
    /// False for a test that sends what the document forbids on purpose and checks the answer itself.
    var checksContract = true

    func shutdown() async {
        await server.shutdown(gracePeriod: .seconds(1))
        await simulator.shutdown()
        await client.shutdown()
        database.close()
        try? await postgres?.drop()
        group.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static var defaultBackend: StoreBackend {
        ProcessInfo.processInfo.environment["WEAVR_GATEWAY_TEST_HARNESS_BACKEND"].flatMap(StoreBackend.init(rawValue:)) ?? .sqlite
    }

    /// Every response seen by `call`, for secret scans.
    let transcript = Mutex<[String]>([])

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var code: String? { json["code"] as? String }
    }

    func call(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, headers: HTTPHeaders = HTTPHeaders(),
              timeout: Duration? = nil) async throws -> Reply {
        var request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers)
        if let token { request.headers.add("authorization", "Bearer \(token)") }
        if let json {
            request.body = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))  // the same body, the same bytes
            request.headers.add("content-type", "application/json")
        }
        // A stuck-test bound, not the gateway's: a stalled parallel run must not fail a call the gateway answers.
        let response = try await client.execute(request, timeout: timeout ?? .seconds(60))
        let reply = Reply(status: response.status, headers: response.headers, body: response.body)
        if checksContract { checkContract(method, path, reply) }
        transcript.withLock { $0.append(response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n" + reply.text) }
        return reply
    }

    /// Records a test issue for every way `reply` differs from the served OpenAPI document.
    func checkContract(_ method: String, _ target: String, _ reply: Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        for failure in contract.check(method: method, target: target, status: reply.status, contentType: reply.headers["content-type"], body: reply.body) {
            Issue.record("response differs from /openapi.json: \(failure)", sourceLocation: sourceLocation)
        }
    }

    /// Logs in with bearer mode and returns the gateway token.
    func login(tenant: String = "acme", email: String = "alice@example.com", password: String = "Password1!") async throws -> String {
        let reply = try await call("POST", "/v1/auth/login", json: ["tenant": tenant, "email": email, "password": password, "mode": "bearer"])
        guard reply.status == 200, let token = reply.json["token"] as? String else {
            throw HarnessError("login failed: \(reply.status) \(reply.text)")
        }
        return token
    }

    /// Raw bytes of the database files (main, WAL, shared memory).
    func databaseBytes() -> [UInt8] {
        ["", "-wal", "-shm"].flatMap { suffix in
            (FileManager.default.contents(atPath: directory + "/gateway.sqlite" + suffix)).map { Array($0) } ?? []
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Array where Element == UInt8 {
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return false }
        for i in 0...(count - needle.count) where self[i] == needle[0] {
            if Array(self[i..<i + needle.count]) == needle { return true }
        }
        return false
    }
}

/// Captured log lines (thread-safe).
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: String { lines.withLock { $0.joined(separator: "\n") } }
}

/// Runs `body` with a fresh `GatewayHarness` and always shuts it down — also when `body` throws — so a failing
/// test never leaves servers, loops or temporary files behind for the tests running beside it.
func withGateway<T>(
    clock: ManualWallClock? = nil, settings: GatewayServices.Settings = GatewayServices.Settings(), backend: StoreBackend? = nil,
    _ body: (GatewayHarness) async throws -> T
) async throws -> T {
    let gateway = try await GatewayHarness(clock: clock, settings: settings, backend: backend)
    do {
        let result = try await body(gateway)
        await gateway.shutdown()
        return result
    } catch {
        await gateway.shutdown()
        throw error
    }
}
