import Auth
import Foundation
import Gateway
import NIOFreeHTTP
import Storage
import WeavrSimulator

/// A gateway over real sockets whose database can be closed and reopened on the same directory (a restart),
/// with its own `Database.Configuration` (a short busy timeout for lock tests). One simulator, tenant acme.
final class RestartableGateway: @unchecked Sendable {
    let directory: String
    let group: EventLoopGroup
    let simulator: WeavrSimulator
    let client: HTTPClient
    let masterKey: MasterKey
    let configuration: Database.Configuration
    private(set) var database: Database
    private(set) var services: GatewayServices
    private(set) var server: HTTPServer
    var port: Int { server.localAddress!.port }
    var path: String { directory + "/gateway.sqlite" }

    init(configuration: Database.Configuration = Database.Configuration()) async throws {
        directory = NSTemporaryDirectory() + "gateway-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.configuration = configuration
        group = EventLoopGroup(threads: 2)
        simulator = WeavrSimulator(seed: .demo, clock: ManualSimulatorClock())
        let address = try simulator.start(host: "127.0.0.1", port: 0, group: group)
        client = try HTTPClient(group: group)
        masterKey = try MasterKey.generate()
        (database, services, server) = try await Self.start(path: directory + "/gateway.sqlite", configuration: configuration, masterKey: masterKey, client: client, group: group)
        _ = try await services.tenants.create(
            Tenant(id: "acme", name: "Acme", weavrBaseURL: "http://127.0.0.1:\(address.port)",
                   cardProfiles: .init(prepaid: ["EUR": "101", "GBP": "102", "USD": "103"]), sessionModes: [.bearer]),
            weavrAPIKey: "sim-demo-api-key"
        )
    }

    private static func start(
        path: String, configuration: Database.Configuration, masterKey: MasterKey, client: HTTPClient, group: EventLoopGroup
    ) async throws -> (Database, GatewayServices, HTTPServer) {
        let database = try Database.open(path: path, migrations: .gateway, configuration: configuration)
        let services = try await GatewayServices(database: database, masterKey: masterKey, http: client)
        var serverConfiguration = HTTPServer.Configuration()
        serverConfiguration.port = 0
        let server = try HTTPServer(configuration: serverConfiguration, group: group, responder: GatewayServer.makeRouter(services: services))
        try server.start()
        return (database, services, server)
    }

    /// Stops the server, closes the database, and starts both again on the same file (a new port).
    func restart() async throws {
        await server.shutdown(gracePeriod: .seconds(1))
        database.close()
        (database, services, server) = try await Self.start(path: path, configuration: configuration, masterKey: masterKey, client: client, group: group)
    }

    func shutdown() async {
        await server.shutdown(gracePeriod: .seconds(1))
        await simulator.shutdown()
        await client.shutdown()
        database.close()
        group.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func call(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, headers: HTTPHeaders = HTTPHeaders()) async throws -> GatewayHarness.Reply {
        var request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers)
        if let token { request.headers.add("authorization", "Bearer \(token)") }
        if let json {
            request.body = Array(try JSONSerialization.data(withJSONObject: json))
            request.headers.add("content-type", "application/json")
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        return GatewayHarness.Reply(status: response.status, headers: response.headers, body: response.body)
    }

    func login() async throws -> String {
        let reply = try await call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!", "mode": "bearer"])
        guard reply.status == 200, let token = reply.json["token"] as? String else { throw HarnessError("login failed: \(reply.status) \(reply.text)") }
        return token
    }

    /// `POST /v1/cards` with a valid EUR body.
    func issueCard(token: String, name: String) async throws -> GatewayHarness.Reply {
        try await call("POST", "/v1/cards", token: token, json: [
            "name": name, "nameOnCard": "Alice Admin", "currency": "EUR", "billingAddress": GatewayHarness.billingAddress,
        ])
    }
}
