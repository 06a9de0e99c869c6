import NIOFreeHTTP

/// `GET /openapi.json`: the OpenAPI 3.1 document of the public API.
enum OpenAPIRoutes {
    static func register(on router: inout Router) {
        router.immediate("GET", "/openapi.json") { _, _ in
            HTTPResponse.json(200, OpenAPIDocument.json, headers: ["cache-control": "public, max-age=300"])
        }
    }
}
