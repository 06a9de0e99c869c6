import NIOFreeHTTP

/// The first `/v1` step: resolves the session once (token verified once, live session row, active tenant,
/// CSRF and origin rules: `SessionResolver`) and puts the principal into the context. A refusal is
/// counted by `DenialLedger` (never one audit row per anonymous request) and thrown as its problem.
struct AuthenticationMiddleware: HTTPMiddleware {
    let authenticator: SessionResolver
    let denials: V1Denials

    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let principal: AuthenticatedRequest
        do {
            principal = try await authenticator.authenticate(request)
        } catch {
            await denials.record(error, request, context, principal: nil)
            throw error
        }
        context.establishCORSTenant(principal.tenant)
        var context = context
        context.values[PrincipalKey.self] = principal
        return try await next(request, context)
    }
}
