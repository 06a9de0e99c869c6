import Audit
import Auth
import NIOFreeHTTP
import Upstream

/// The authenticated `/v1` API as one route group (docs/ARCHITECTURE.md "The request pipeline"):
///
///     /v1 group: Authentication → RequestRate → BodyLimit → Idempotency → UpstreamErrors → route
///
/// Each route declares in the route table (`V1Routes`) what the middlewares need: its body limit, whether
/// `Idempotency-Key` applies (mutations) and to whom, and its audited action with quota and target.
struct V1Router: Sendable {
    let authenticator: SessionResolver
    let idempotency: IdempotencyGuard
    let audit: AuditTrail
    let denials: V1Denials
    let rates: RequestRateLimits
    let metrics: GatewayMetrics
    /// Cards seen with their owner (`CardOwners`), for routing Weavr's card webhooks.
    let cardOwners: CardOwners

    /// Builds the pipeline's parts from the composition root; `idempotencyStore` defaults to its store.
    init(services: GatewayServices, idempotencyStore: (any IdempotencyStore)? = nil) {
        authenticator = SessionResolver(services: services)
        idempotency = IdempotencyGuard(services: services, store: idempotencyStore)
        let audit = AuditTrail(services: services)
        self.audit = audit
        denials = V1Denials(ledger: services.denials, audit: audit)
        rates = services.requestRates
        metrics = services.metrics
        cardOwners = services.cardOwners
    }

    /// The group's middlewares, outermost first.
    var middlewares: [any HTTPMiddleware] {
        [
            AuthenticationMiddleware(authenticator: authenticator, denials: denials),
            RequestRateMiddleware(rates: rates, metrics: metrics),
            BodyLimitMiddleware(),
            IdempotencyMiddleware(idempotency: idempotency, enabled: audit.enabled),
            UpstreamErrorMiddleware(denials: denials, sessions: authenticator),
        ]
    }

    /// Adds the `/v1` group with the routes `build` declares.
    func register(on router: inout Router, _ build: (inout V1Routes) -> Void) {
        router.group("/v1", middlewares: middlewares) { group in
            var routes = V1Routes(group: group, audit: audit)
            build(&routes)
            group = routes.group
        }
    }
}

/// The `/v1` route table: each route with what it declares.
struct V1Routes {
    var group: RouterGroup
    let audit: AuditTrail
    typealias Handler = @Sendable (V1Call) async throws -> HTTPResponse

    /// A read (GET): no body, no idempotency handling, no audit rows.
    mutating func query(_ path: String, _ handler: @escaping Handler) {
        add("GET", path, V1RouteDeclaration(), handler)
    }

    /// A mutation: a body of at most `bodyLimit` bytes, `Idempotency-Key` (scoped to the session for
    /// `sessionBound` routes that act on the session itself), and — with `audit` — the audited step that
    /// `V1Call.audited` runs.
    ///
    /// `replayable: false` for a mutation whose answer must never be stored (a tokenised PIN): it takes no
    /// `Idempotency-Key` and each call is its own act.
    mutating func mutation(
        _ method: String, _ path: String, bodyLimit: Int = 64 * 1024, sessionBound: Bool = false, replayable: Bool = true,
        audit step: AuditStep? = nil, _ handler: @escaping Handler
    ) {
        let idempotency: V1RouteDeclaration.IdempotencyScope? = replayable ? (sessionBound ? .session : .user) : nil
        add(method, path, V1RouteDeclaration(bodyLimit: bodyLimit, idempotency: idempotency, audit: step), handler)
    }

    private mutating func add(_ method: String, _ path: String, _ declaration: V1RouteDeclaration, _ handler: @escaping Handler) {
        var values = ContextValues()
        values[V1RouteKey.self] = declaration
        let audit = self.audit
        group.add(method, path, values: values) { request, context in
            guard let principal = context.principal else { throw Problem(.internalError) }
            return try await handler(V1Call(request: request, context: context, auth: principal, auditTrail: audit))
        }
    }
}
