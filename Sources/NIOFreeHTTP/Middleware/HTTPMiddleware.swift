/// A step around the handler: it may change the request or context, answer early, or change the response.
public protocol HTTPMiddleware: Sendable {
    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse
}
