import Audit
import NIOFreeHTTP

/// One authenticated `/v1` call as a route handler sees it: the request, the principal, and the request's
/// `WeavrSession` (client, token, request id and idempotency-ref bound once).
struct V1Call: Sendable {
    let request: HTTPRequest
    let context: RequestContext
    let auth: AuthenticatedRequest
    /// What the route table declares for this route.
    let route: V1RouteDeclaration
    /// Derived from the client's `Idempotency-Key` (tenant, user, route, key) and forwarded to Weavr as
    /// `idempotency-ref` by `weavr` where the operation takes one. Nil when the client sent no key.
    let idempotencyRef: String?
    /// Where an audited step's outcome rows go when the call runs under an `Idempotency-Key` (written with
    /// the stored response); nil otherwise.
    let deferredOutcomes: DeferredOutcomes?
    /// Weavr on the user's behalf, for this request.
    let weavr: WeavrSession
    let auditTrail: AuditTrail

    init(
        request: HTTPRequest, context: RequestContext, auth: AuthenticatedRequest, route: V1RouteDeclaration, idempotencyRef: String?,
        deferredOutcomes: DeferredOutcomes? = nil, auditTrail: AuditTrail
    ) {
        self.request = request
        self.context = context
        self.auth = auth
        self.route = route
        self.idempotencyRef = idempotencyRef
        self.deferredOutcomes = deferredOutcomes
        self.auditTrail = auditTrail
        weavr = WeavrSession(client: auth.weavr, token: auth.weavrToken, requestID: context.requestID, idempotencyRef: idempotencyRef)
    }

    /// The request id (echoed in `X-Request-Id`, forwarded to Weavr, written to logs).
    var requestID: String { context.requestID }

    /// The route's declared audited step (`AuditStep` in the route table: action, quota, target) around
    /// `perform`: quota, intent row, `perform`, outcome row (`AuditTrail.mutation`). Validate the request
    /// before calling this.
    func audited(
        units: Int = 1, charges: [QuotaCharge] = [], details: [String: AuditDetails.Value] = [:], alsoIntended: [AuditEntry] = [],
        _ perform: () async throws -> AuditedOutcome
    ) async throws -> HTTPResponse {
        guard let step = route.audit else { preconditionFailure("\(context.route ?? "?") declares no audit step") }
        let target = step.targetParameter.flatMap { request.pathParameters[$0] }
        return try await auditTrail.mutation(
            self, action: step.action, target: target, quota: step.quota, units: units, also: charges, details: details,
            alsoIntended: alsoIntended, perform
        )
    }
}
