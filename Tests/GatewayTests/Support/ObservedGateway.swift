import Foundation
import Gateway
import Logging
import NIOFreeHTTP
import Testing
import TestSupport

/// A `GatewayHarness` plus what the observability tests look at: a second public listener with the JSON
/// access logger (its lines captured), and the admin listener serving `/metrics`.
final class ObservedGateway: Sendable {
    let gateway: GatewayHarness
    let server: HTTPServer
    let admin: HTTPServer
    let logLines = LogLines()

    init(settings: GatewayServices.Settings = GatewayServices.Settings(), backend: StoreBackend? = nil) async throws {
        gateway = try await GatewayHarness(settings: settings, backend: backend)
        let lines = logLines
        let logger = Logger(label: "access") { label in
            JSONLogHandler(label: label, sink: { line in lines.append(String(decoding: line, as: UTF8.self)) })
        }
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        server = try HTTPServer(configuration: configuration, group: gateway.group,
                                responder: GatewayServer.makeRouter(services: gateway.services, accessLogger: logger))
        try server.start()
        let (_, tokenLine) = try AdminTokens.generate(name: "ops")
        admin = try HTTPServer(configuration: configuration, group: gateway.group,
                               responder: AdminAPI(services: gateway.services, tokens: try AdminTokens(configuration: tokenLine)).makeRouter())
        try admin.start()
        gateway.services.metrics.observe(server: server, listener: "public")
        gateway.services.metrics.observe(server: admin, listener: "admin")
    }

    func shutdown() async {
        await server.shutdown(gracePeriod: .seconds(1))
        await admin.shutdown(gracePeriod: .seconds(1))
        await gateway.shutdown()
    }

    /// A call to the logged public listener (or, with `admin`, to the admin listener).
    func call(
        _ method: String, _ path: String, token: String? = nil, json: Any? = nil, headers: HTTPHeaders = HTTPHeaders(), admin toAdmin: Bool = false
    ) async throws -> GatewayHarness.Reply {
        let port = (toAdmin ? admin : server).localAddress!.port
        var request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)")
        for (name, value) in headers { request.headers.add(name, value) }
        if let token { request.headers.add("authorization", "Bearer \(token)") }
        if let json {
            request.body = Array(try JSONSerialization.data(withJSONObject: json))
            request.headers.add("content-type", "application/json")
        }
        let response = try await gateway.client.execute(request, timeout: .seconds(60))
        let reply = GatewayHarness.Reply(status: response.status, headers: response.headers, body: response.body)
        if !toAdmin { gateway.checkContract(method, path, reply) }
        return reply
    }

    /// Bearer login through the logged listener.
    func login(tenant: String = "acme", email: String = "alice@example.com", password: String = "Password1!") async throws -> String {
        let reply = try await call("POST", "/v1/auth/login", json: ["tenant": tenant, "email": email, "password": password, "mode": "bearer"])
        guard reply.status == 200, let token = reply.json["token"] as? String else {
            throw HarnessError("login failed: \(reply.status) \(reply.text)")
        }
        return token
    }

    /// `GET /metrics` from the admin listener, without a token.
    func scrape() async throws -> GatewayHarness.Reply {
        try await call("GET", "/metrics", admin: true)
    }

    /// Every log line as a JSON object (a line that is not one fails the caller's expectations as `[:]`).
    var logObjects: [[String: Any]] {
        logLines.all.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }
    }
}

/// Parses Prometheus text with the Python `prometheus_client` parser (scripts/requirements.txt).
enum PrometheusParser {
    struct Sample: Sendable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    static let script = """
    import json, sys
    from prometheus_client.parser import text_string_to_metric_families
    for family in text_string_to_metric_families(open(sys.argv[1]).read()):
        for s in family.samples:
            print(json.dumps({"family": family.name, "type": family.type, "name": s.name, "labels": s.labels, "value": s.value}))
    """

    /// The samples of `text`, or an error carrying the parser's output.
    static func parse(_ text: String, directory: String) async throws -> [Sample] {
        let path = directory + "/metrics-\(UUID().uuidString).txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let result = try await ProcessRunner.run(["python3", "-c", script, path])
        guard result.status == 0 else { throw HarnessError("prometheus_client rejected the text: \(result.output)") }
        return result.output.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let name = object["name"] as? String else { return nil }
            return Sample(name: name, labels: object["labels"] as? [String: String] ?? [:], value: (object["value"] as? NSNumber)?.doubleValue ?? .nan)
        }
    }
}

extension Array where Element == PrometheusParser.Sample {
    /// The value of the sample named `name` whose labels include `labels` (nil when none matches).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }?.value
    }
}
