import NIOFreeHTTP
import Upstream

/// The authenticated `/v1` pipeline (docs/ARCHITECTURE.md "The request pipeline"): one function that runs
/// DESIGN's steps in their order around a route's handler, with what each step learns passed on as typed
/// values (no per-request map, no middleware chain of closures):
///
///     authentication → request rate → body limit → idempotency (mutations) → upstream errors → route
///
/// 1. **Authentication** (`SessionResolver`): the token verified once, the live session row, the active
///    tenant, CSRF and origin rules. A refusal is counted by `V1Denials` (never one audit row per anonymous
///    request) and becomes its problem. The tenant is established for CORS.
/// 2. **Request rate** per tenant and per session (`RequestRateLimits`): over either → 429 `rate_limited`
///    with `Retry-After`. Every later answer, problems included, carries the `RateLimit-Policy` / `RateLimit`
///    fields (draft-ietf-httpapi-ratelimit-headers-11), merged with a route's own (a daily quota).
/// 3. **Body limit**: the route's declared limit (under the listener's `limits.maxBodyBytes`) → 413
///    `payload_too_large` before idempotency or the handler run.
/// 4. **Idempotency** on the mutations that declare it (`IdempotencyGuard`): replays, 409 while in flight,
///    422 on reuse with another request; the derived `idempotency-ref` goes to the handler's `WeavrSession`.
/// 5. **Upstream errors**, innermost around the handler so idempotency stores, and the rate step stamps,
///    the mapped answer: the one place a Weavr failure becomes the client's problem (`UpstreamFailure`).
///    Here, too, what it means for the session: a Weavr 401 ends the gateway session, and a refusal for
///    want of step-up is audited.
struct V1Pipeline: Sendable {
    let authenticator: SessionResolver
    let denials: V1Denials
    let rates: RequestRateLimits
    let metrics: GatewayMetrics
    let idempotency: IdempotencyGuard
    let audit: AuditTrail

    /// Runs `handler` for `route` behind the steps above. A thrown `HTTPResponseError` (a refusal before the
    /// rate step) becomes its response where the router hands the answer back to the global middlewares.
    func respond(
        _ route: V1RouteDeclaration, _ handler: V1Routes.Handler, _ request: HTTPRequest, _ context: RequestContext
    ) async throws -> HTTPResponse {
        // 1. Authentication.
        let principal: AuthenticatedRequest
        do {
            principal = try await authenticator.authenticate(request)
        } catch {
            await denials.record(error, request, context, principal: nil)
            throw error
        }
        context.establishCORSTenant(principal.tenant)

        // 2. Request rate.
        let rate = await rates.check(tenant: principal.tenant, sid: principal.session.sid)
        guard rate.allowed else {
            metrics.recordRateLimited(tenant: principal.tenant.id, scope: rate.scope)
            return Problem(.rateLimited, detail: "request rate over the tenant's or session's limit", retryAfter: rate.retryAfter)
                .response(headers: rate.headers)
        }
        var response: HTTPResponse
        do {
            response = try await admitted(route, handler, request, context, principal)
        } catch let error as any HTTPResponseError {
            response = error.response()
        }
        rate.stamp(&response.headers)
        return response
    }

    /// Steps 3 and 4 for a request within its rates.
    private func admitted(
        _ route: V1RouteDeclaration, _ handler: V1Routes.Handler, _ request: HTTPRequest, _ context: RequestContext,
        _ principal: AuthenticatedRequest
    ) async throws -> HTTPResponse {
        // 3. Body limit.
        if let limit = route.bodyLimit, request.body.count > limit {
            throw Problem(.payloadTooLarge, detail: "body over \(limit) bytes")
        }
        // 4. Idempotency (off only in the audited-block benchmark's comparison path,
        //    `GatewayServices.Settings.auditsMutations`).
        guard audit.enabled, let scope = route.idempotency else {
            return try await run(route, handler, request, context, principal, idempotencyRef: nil)
        }
        return try await idempotency.run(request: request, context: context, auth: principal, sessionBound: scope == .session) { ref, outcomes in
            try await run(route, handler, request, context, principal, idempotencyRef: ref, deferredOutcomes: outcomes)
        }
    }

    /// Step 5 around the route's handler.
    private func run(
        _ route: V1RouteDeclaration, _ handler: V1Routes.Handler, _ request: HTTPRequest, _ context: RequestContext,
        _ principal: AuthenticatedRequest, idempotencyRef: String?, deferredOutcomes: DeferredOutcomes? = nil
    ) async throws -> HTTPResponse {
        do {
            return try await handler(V1Call(
                request: request, context: context, auth: principal, route: route, idempotencyRef: idempotencyRef,
                deferredOutcomes: deferredOutcomes, auditTrail: audit
            ))
        } catch {
            let problem: Problem
            let thrown: any Error
            switch error {
            case let weavr as WeavrError:
                let failure = UpstreamFailure(weavr)
                (problem, thrown) = (failure.problem, failure)
            case let failure as UpstreamFailure:
                (problem, thrown) = (failure.problem, failure)
            case let own as Problem:
                (problem, thrown) = (own, own)
            default:
                throw error
            }
            await authenticator.endSessionIfWeavrRejected(problem, principal)
            await denials.record(problem, request, context, principal: principal)
            throw thrown
        }
    }
}
