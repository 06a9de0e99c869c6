import Audit
import Auth
import NIOFreeHTTP
import Upstream

/// Registers authenticated `/v1` routes: session check, problem mapping, the end of the session on a
/// Weavr 401, and `Idempotency-Key` handling for mutations.
struct V1Router: Sendable {
    typealias Handler = @Sendable (V1Call) async throws -> HTTPResponse

    let services: GatewayServices
    let authenticator: RequestAuthenticator
    let idempotency: IdempotencyGuard
    let audit: AuditTrail

    /// `idempotencyStore` defaults to the SQLite store on `services.database`.
    init(services: GatewayServices, idempotencyStore: (any IdempotencyStore)? = nil) {
        self.services = services
        authenticator = RequestAuthenticator(services: services)
        idempotency = IdempotencyGuard(services: services, store: idempotencyStore)
        audit = AuditTrail(services: services)
    }

    /// A read (GET): no idempotency handling.
    func query(_ router: inout Router, _ path: String, _ handler: @escaping Handler) {
        router.add("GET", path) { request, context in
            await run(request, context) { auth in
                try await handler(V1Call(request: request, context: context, auth: auth, idempotencyRef: nil))
            }
        }
    }

    /// A mutation (POST, PATCH, DELETE): the body is capped at `bodyLimit` bytes (413 `payload_too_large`
    /// before the handler runs) and the call goes through `IdempotencyGuard`. A `sessionBound` route (logout,
    /// step-up) acts on the session itself, so its `Idempotency-Key`s are scoped to the session: a key used in
    /// an earlier session never replays into a later one.
    func mutation(
        _ router: inout Router, _ method: String, _ path: String, bodyLimit: Int = 64 * 1024, sessionBound: Bool = false,
        _ handler: @escaping Handler
    ) {
        router.add(method, path) { request, context in
            await run(request, context) { auth in
                guard request.body.count <= bodyLimit else {
                    throw Problem(.payloadTooLarge, detail: "body over \(bodyLimit) bytes")
                }
                return try await idempotency.run(request: request, context: context, auth: auth, sessionBound: sessionBound) { ref in
                    try await handler(V1Call(request: request, context: context, auth: auth, idempotencyRef: ref))
                }
            }
        }
    }

    /// Authenticates, runs `body`, and maps every failure to a problem response.
    func run(_ request: HTTPRequest, _ context: RequestContext, _ body: (AuthenticatedRequest) async throws -> HTTPResponse) async -> HTTPResponse {
        let auth: AuthenticatedRequest
        do {
            auth = try await authenticator.authenticate(request)
        } catch {
            await auditDenial(error, request, context)
            return error.response()
        }
        context.establishCORSTenant(auth.tenant)
        let rate = services.requestRates.check(tenant: auth.tenant, sid: auth.session.sid)
        guard rate.allowed else {
            services.metrics.recordRateLimited(tenant: auth.tenant.id, scope: rate.scope)
            return Problem(.rateLimited, detail: "request rate over the tenant's or session's limit", retryAfter: rate.retryAfter)
                .response(headers: rate.headers)
        }
        var response: HTTPResponse
        do {
            response = try await body(auth)
        } catch let problem as Problem {
            await authenticator.endSessionIfWeavrRejected(problem, auth)
            await auditDenial(problem, request, context, auth: auth)
            response = problem.response()
        } catch let error as WeavrError {
            let problem = Problem.upstream(error)
            await authenticator.endSessionIfWeavrRejected(problem, auth)
            await auditDenial(problem, request, context, auth: auth)
            response = problem.response()
        } catch {
            response = Problem(.internalError).response()
        }
        // draft-ietf-httpapi-ratelimit-headers-11: both fields are lists, so a handler's own policies (a
        // daily quota) are kept beside the request-rate ones.
        for (name, value) in rate.headers {
            if let own = response.headers[name] {
                response.headers.replaceOrAdd(name, value + ", " + own)
            } else {
                response.headers.add(name, value)
            }
        }
        return response
    }

    /// Records a refusal that says someone tried: a presented token that does not check out (401), a failed
    /// CSRF or origin check, a missing step-up. Before a session is established these are only counted
    /// (`DenialLedger`: one row per client IP, reason and minute); requests without any credential are not
    /// recorded. A refusal of an authenticated session (step-up) is one `access.denied` row, awaited
    /// (group-committed) but never changing the answer.
    func auditDenial(_ problem: Problem, _ request: HTTPRequest, _ context: RequestContext, auth: AuthenticatedRequest? = nil) async {
        let reason: String
        switch problem.code {
        case .unauthenticated:
            guard auth == nil, (try? RequestAuthenticator.credential(request)) != nil else { return }
            reason = "invalid_session"
        case .csrfFailed: reason = "csrf_failed"
        case .forbidden where auth == nil: reason = "origin_not_allowed"
        case .stepUpRequired: reason = "step_up_required"
        default: return
        }
        guard let auth else {
            services.denials.record(reason: reason, clientIP: services.clientIP(request))
            return
        }
        let details = AuditTrail.details(["reason": .string(reason), "method": .string(request.method), "route": .string(context.route ?? "-")])
        let entry = audit.entry(
            request, context, .accessDenied, tenant: auth.tenant.id, actor: auth.session.userID,
            sessionID: auth.session.sid, target: request.pathParameters["id"], outcome: .denied,
            httpStatus: problem.code.status, details: details
        )
        await audit.record([entry])
    }
}
