@testable import NIOFreeHTTP
import Synchronization
import Testing
import TestSupport

/// Routes added with `Router.immediate` are answered on the event loop as they are parsed, without a worker task,
/// when every global middleware can handle them that way; otherwise, and for every other route, by `respond`.
@Suite struct ImmediateRoutesTests {
    private let host = "Host: t\r\n"

    /// Adds `x-step: <name>` to every response and counts the responses it saw, on either path; declines the
    /// immediate path when the request has `x-decline: <name>`.
    final class Step: HTTPMiddleware {
        let name: String
        let immediateCapable: Bool
        let seen = Atomic<Int>(0)

        init(_ name: String, immediateCapable: Bool = true) {
            self.name = name
            self.immediateCapable = immediateCapable
        }

        func handle(
            _ request: HTTPRequest, context: RequestContext, next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
        ) async throws -> HTTPResponse {
            var response = try await next(request, context)
            decorate(&response)
            return response
        }

        func handleImmediately(
            _ request: HTTPRequest, context: RequestContext, next: (HTTPRequest, RequestContext) -> HTTPResponse?
        ) -> HTTPResponse? {
            guard immediateCapable, request.headers["x-decline"] != name else { return nil }
            guard var response = next(request, context) else { return nil }
            decorate(&response)
            return response
        }

        private func decorate(_ response: inout HTTPResponse) {
            seen.add(1, ordering: .relaxed)
            response.headers.add("x-step", name)
        }
    }

    private static func router(_ steps: [Step]) -> Router {
        var router = Router(middlewares: [RequestIDMiddleware()] + steps)
        router.immediate("GET", "/fast") { _, context in
            HTTPResponse(status: 200, headers: ["content-type": "text/plain", "x-route": context.route ?? "-"], body: Array("fast".utf8))
        }
        router.immediate("GET", "/fast-stream") { _, _ in
            HTTPResponse(status: 200, headers: ["content-type": "text/plain"]) { writer in
                for part in ["one,", "two,", "three"] { try await writer.write(part) }
            }
        }
        router.get("/async") { _, _ in HTTPResponse(status: 200, body: Array("async".utf8)) }
        router.get("/seq/{n}") { request, context in
            // Odd numbers finish later than the requests behind them: order must still hold.
            let n = Int(request.pathParameters["n"] ?? "") ?? 0
            if n % 2 == 1 { await context.eventLoop.sleep(nanoseconds: 20_000_000) }
            return HTTPResponse(status: 200, body: Array("\(n)".utf8))
        }
        return router
    }

    @Test func anImmediateRouteIsAnsweredWithoutAWorkerThroughEveryMiddleware() async throws {
        let steps = [Step("a"), Step("b")]
        try await withTestServer(responder: Self.router(steps)) { server in
            let client = try RawClient(port: server.port)
            for i in 1...5 {
                try client.send("GET /fast HTTP/1.1\r\n\(host)\r\n")
                let response = await client.responses(i).last
                #expect(response?.status == 200)
                #expect(response?.bodyText == "fast")
                #expect(response?.header("x-route") == "/fast")
                // Inner step first, as on the async path; the request id as `RequestIDMiddleware` sets it.
                #expect(response?.headerValues("x-step") == ["b", "a"])
                #expect(response.flatMap { $0.header("x-request-id") }.map(RequestIDMiddleware.isAcceptable) == true)
                #expect(response?.header("date") != nil)
            }
            #expect(await server.workerCounts()[0].started == 0)
            // Any other route still goes to a worker.
            try client.send("GET /async HTTP/1.1\r\n\(host)\r\n")
            #expect(await client.responses(6).last?.bodyText == "async")
            #expect(await server.workerCounts()[0].started == 1)
            #expect(steps.map { $0.seen.load(ordering: .relaxed) } == [6, 6])
        }
    }

    @Test func aMiddlewareWithoutTheImmediateStepSendsTheRouteThroughAWorker() async throws {
        let steps = [Step("a"), Step("plain", immediateCapable: false)]
        try await withTestServer(responder: Self.router(steps)) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /fast HTTP/1.1\r\n\(host)\r\n")
            let response = await client.responses(1).first
            #expect(response?.bodyText == "fast")
            #expect(response?.headerValues("x-step") == ["plain", "a"])
            #expect(await server.workerCounts()[0].started == 1)
        }
    }

    @Test func aStepThatDeclinesLeavesNothingDoneAndTheWorkerAnswersOnce() async throws {
        let steps = [Step("outer"), Step("inner")]
        try await withTestServer(responder: Self.router(steps)) { server in
            let client = try RawClient(port: server.port)
            // The inner step declines after the outer one's "before" part ran: the outer one must not decorate or
            // count the abandoned attempt, only the worker's answer.
            try client.send("GET /fast HTTP/1.1\r\n\(host)x-decline: inner\r\nx-request-id: given-1\r\n\r\n")
            let response = await client.responses(1).first
            #expect(response?.bodyText == "fast")
            #expect(response?.headerValues("x-step") == ["inner", "outer"])
            #expect(response?.headerValues("x-request-id") == ["given-1"])
            #expect(steps.map { $0.seen.load(ordering: .relaxed) } == [1, 1])
            #expect(await server.workerCounts()[0].started == 1)
        }
    }

    @Test func pipelinedImmediateAndWorkerAnsweredRequestsKeepTheirOrder() async throws {
        try await withTestServer(responder: Self.router([Step("a")])) { server in
            let client = try RawClient(port: server.port)
            let paths = ["/seq/1", "/fast", "/seq/3", "/fast", "/fast", "/seq/5", "/seq/6", "/fast"]
            try client.send(paths.map { "GET \($0) HTTP/1.1\r\n\(host)\r\n" }.joined())
            let responses = await client.responses(paths.count)
            #expect(responses.map(\.bodyText) == ["1", "fast", "3", "fast", "fast", "5", "6", "fast"])
        }
    }

    @Test func aStreamedAnswerOfAnImmediateRouteIsWrittenChunkByChunk() async throws {
        try await withTestServer(responder: Self.router([Step("a")])) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /fast-stream HTTP/1.1\r\n\(host)\r\nGET /fast HTTP/1.1\r\n\(host)\r\n")
            let responses = await client.responses(2)
            #expect(responses.first?.header("transfer-encoding") == "chunked")
            #expect(responses.first?.bodyText == "one,two,three")
            #expect(responses.last?.bodyText == "fast")
        }
    }

    @Test func headIsAnsweredLikeGetWithoutABodyAndOtherMethodsAre405() async throws {
        try await withTestServer(responder: Self.router([Step("a")])) { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD /fast HTTP/1.1\r\n\(host)\r\n")
            let head = await client.responses(1, headRequest: true).first
            #expect(head?.status == 200)
            #expect(head?.header("content-length") == "4")
            #expect(head?.body.isEmpty == true)
            #expect(await server.workerCounts()[0].started == 0)
            try client.send("POST /fast HTTP/1.1\r\n\(host)content-length: 0\r\n\r\n")
            let refused = await client.responses(2).last
            #expect(refused?.status == 405)
            #expect(refused?.header("allow") == "GET, HEAD")
        }
    }
}
