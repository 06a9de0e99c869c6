import NIOFreeHTTP

/// The route's own body limit (`V1RouteDeclaration.bodyLimit`, under the listener's `limits.maxBodyBytes`):
/// over it → 413 `payload_too_large` before idempotency or the handler run.
struct BodyLimitMiddleware: HTTPMiddleware {
    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        if let limit = context.v1Route.bodyLimit, request.body.count > limit {
            throw Problem(.payloadTooLarge, detail: "body over \(limit) bytes")
        }
        return try await next(request, context)
    }
}
