import NIOFreeHTTP

/// A server on a fresh one-thread loop group, port 0, with the test routes below; shut down after `body`.
func withTestServer<T>(
    configure: (inout HTTPServer.Configuration) -> Void = { _ in },
    responder: (any HTTPResponder)? = nil,
    _ body: (HTTPServer) async throws -> T
) async throws -> T {
    var configuration = HTTPServer.Configuration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configure(&configuration)
    let group = EventLoopGroup(threads: 1)
    let server = try HTTPServer(configuration: configuration, group: group, responder: responder ?? TestRoutes.router())
    try server.start()
    do {
        let result = try await body(server)
        await server.shutdown(gracePeriod: .seconds(2))
        group.shutdown()
        return result
    } catch {
        await server.shutdown(gracePeriod: .seconds(2))
        group.shutdown()
        throw error
    }
}

extension HTTPServer {
    var port: Int { localAddress!.port }
}

/// Routes the conformance tests call.
enum TestRoutes {
    struct Boom: Error {}

    static func router() -> Router {
        var router = Router(middlewares: [RequestIDMiddleware()])
        router.get("/hello") { _, _ in HTTPResponse(status: 200, headers: ["content-type": "text/plain"], body: Array("hello".utf8)) }
        router.post("/echo") { request, _ in
            HTTPResponse(status: 200, headers: ["content-type": "application/octet-stream"], body: request.body)
        }
        router.get("/echo-header/{name}") { request, _ in
            let name = request.pathParameters["name"] ?? ""
            return HTTPResponse(status: 200, body: Array((request.headers[name] ?? "<none>").utf8))
        }
        router.get("/seq/{n}") { request, context in
            let n = Int(request.pathParameters["n"] ?? "") ?? 0
            // Odd numbers finish later than the even ones behind them: order must still hold.
            if n % 2 == 1 { await context.eventLoop.sleep(nanoseconds: 20_000_000) }
            return HTTPResponse(status: 200, body: Array("\(n)".utf8))
        }
        router.get("/slow") { _, context in
            await context.eventLoop.sleep(nanoseconds: 300_000_000)
            return HTTPResponse(status: 200, body: Array("slow".utf8))
        }
        router.get("/stream") { _, _ in
            HTTPResponse(status: 200, headers: ["content-type": "text/plain"]) { writer in
                for part in ["one,", "two,", "three"] { try await writer.write(part) }
            }
        }
        router.get("/big") { _, _ in
            HTTPResponse(status: 200, body: [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20))
        }
        router.get("/throw") { _, _ in throw Boom() }
        router.get("/query") { request, _ in
            HTTPResponse(status: 200, body: Array((request.queryParameter("q") ?? "<none>").utf8))
        }
        router.get("/tls") { request, _ in
            HTTPResponse(status: 200, body: Array((request.tls.map { "\($0.protocolVersion) \($0.alpn ?? "-")" } ?? "plain").utf8))
        }
        return router
    }
}
