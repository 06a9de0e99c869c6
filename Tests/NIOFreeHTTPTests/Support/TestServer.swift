import NIOFreeHTTP
import Synchronization

/// A server on a fresh one-thread loop group, port 0, with the test routes below; shut down after `body`.
func withTestServer<T>(
    configure: (inout HTTPServer.Configuration) -> Void = { _ in },
    responder: (any HTTPResponder)? = nil,
    _ body: (HTTPServer) async throws -> T
) async throws -> T {
    var configuration = HTTPServer.Configuration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    // Tests that are not about the header and keep-alive timers must not meet them when a busy parallel run stalls
    // the test between connecting and sending; tests about them set their own.
    configuration.headerTimeout = .seconds(120)
    configuration.keepAliveTimeout = .seconds(120)
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

    static func router(gate: Gate? = nil) -> Router {
        var router = Router(middlewares: [RequestIDMiddleware()])
        if let gate {
            router.get("/gate") { _, _ in
                await gate.enterAndWait()
                return HTTPResponse(status: 200, body: Array("gated".utf8))
            }
        }
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

/// Holds requests inside a handler until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(entered: Int, open: Bool, waiters: [CheckedContinuation<Void, Never>])>((0, false, []))

    func enterAndWait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                state.entered += 1
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    var entered: Int { state.withLock { $0.entered } }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Polls until `count` requests are inside the gate (or 60 s pass: a stuck-test bound, not a wait for time to
    /// pass; a busy parallel run can take seconds to let a request through).
    func waitForEntries(_ count: Int) async {
        for _ in 0..<6_000 where entered < count {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
