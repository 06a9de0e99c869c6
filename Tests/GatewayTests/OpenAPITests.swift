import Foundation
@testable import Gateway
import NIOFreeHTTP
import Testing
import TestSupport

/// `GET /openapi.json`: a valid OpenAPI 3.1 document that describes exactly the routes the gateway serves.
@Suite("OpenAPI document")
struct OpenAPITests {
    static let methods: Set<String> = ["get", "post", "put", "patch", "delete"]

    /// (METHOD, path) of every operation in a document.
    static func operations(_ document: [String: Any]) -> Set<String> {
        let paths = document["paths"] as? [String: Any] ?? [:]
        return Set(paths.flatMap { path, item in
            (item as? [String: Any] ?? [:]).keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
        })
    }

    /// (METHOD, pattern) of every documented route the router serves.
    static func routes(_ router: Router) -> Set<String> {
        Set(router.routes.filter { $0.pattern.hasPrefix("/v1/") || $0.pattern.hasPrefix("/webhooks/") || ["/healthz", "/readyz", "/openapi.json"].contains($0.pattern) }
            .map { "\($0.method) \($0.pattern)" })
    }

    @Test func theServedDocumentPassesOpenAPISpecValidator() async throws {
        let gateway = try await GatewayHarness()
        let reply = try await gateway.call("GET", "/openapi.json")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"] == "application/json")
        #expect(reply.json["openapi"] as? String == "3.1.0")
        #expect(reply.body == OpenAPIDocument.json)  // what GatewayHarness checks every answer against
        let path = gateway.directory + "/openapi.json"
        try Data(reply.body).write(to: URL(fileURLWithPath: path))
        let result = try await ProcessRunner.run(["python3", "-m", "openapi_spec_validator", path])
        #expect(result.status == 0, "\(result.output)")
        await gateway.shutdown()
    }

    @Test func theProblemCodeEnumIsTheCatalogue() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let problem = schemas?["Problem"] as? [String: Any]
        let code = (problem?["properties"] as? [String: Any])?["code"] as? [String: Any]
        #expect(code?["enum"] as? [String] == Problem.Code.allCases.map(\.rawValue))
    }

    @Test func everyServedRouteIsDocumented() async throws {
        let gateway = try await GatewayHarness()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
        let served = Self.routes(GatewayServer.makeRouter(services: gateway.services))
        #expect(served.subtracting(Self.operations(document)).isEmpty)
        await gateway.shutdown()
    }

    @Test
    func theDocumentDescribesExactlyTheServedRoutes() async throws {
        let gateway = try await GatewayHarness()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
        let served = Self.routes(GatewayServer.makeRouter(services: gateway.services))
        let documented = Self.operations(document)
        #expect(documented.subtracting(served).sorted() == [])
        #expect(served.subtracting(documented).sorted() == [])
        await gateway.shutdown()
    }
}
