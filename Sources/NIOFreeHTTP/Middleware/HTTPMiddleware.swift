/// A step around the handler: it may change the request or context, answer early, or change the response.
public protocol HTTPMiddleware: Sendable {
    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse
}

/// A responder wrapped in middlewares; the first middleware in the list runs first.
public struct MiddlewareChain: HTTPResponder {
    let middlewares: [any HTTPMiddleware]
    let responder: any HTTPResponder

    public init(_ middlewares: [any HTTPMiddleware], responder: any HTTPResponder) {
        self.middlewares = middlewares
        self.responder = responder
    }

    public func respond(to request: HTTPRequest, context: RequestContext) async throws -> HTTPResponse {
        try await run(0, request, context)
    }

    private func run(_ index: Int, _ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        if index == middlewares.count {
            return try await responder.respond(to: request, context: context)
        }
        return try await middlewares[index].handle(request, context: context) { request, context in
            try await run(index + 1, request, context)
        }
    }
}
