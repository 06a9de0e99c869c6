import NIOFreeHTTP

/// `Idempotency-Key` on the mutations that declare it (`IdempotencyGuard`): replays, 409 while in flight, 422
/// on reuse with another request; the derived `idempotency-ref` goes into the context for `WeavrSession`.
struct IdempotencyMiddleware: HTTPMiddleware {
    let idempotency: IdempotencyGuard
    /// False only in the audited-block benchmark's comparison path (`GatewayServices.Settings.auditsMutations`).
    var enabled = true

    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard enabled, let scope = context.v1Route.idempotency, let principal = context.principal else {
            return try await next(request, context)
        }
        return try await idempotency.run(request: request, context: context, auth: principal, sessionBound: scope == .session) { ref in
            var context = context
            if let ref { context.values[IdempotencyRefKey.self] = ref }
            return try await next(request, context)
        }
    }
}
