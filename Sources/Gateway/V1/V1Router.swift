import Audit
import Auth
import NIOFreeHTTP
import Upstream

/// The authenticated `/v1` API (docs/ARCHITECTURE.md "The request pipeline"): every route registered here
/// runs behind `V1Pipeline`:
///
///     authentication → request rate → body limit → idempotency → upstream errors → route
///
/// Each route declares in the route table (`V1Routes`) what the pipeline needs: its body limit, whether
/// `Idempotency-Key` applies (mutations) and to whom, and its audited action with quota and target.
struct V1Router: Sendable {
    let authenticator: SessionResolver
    let audit: AuditTrail
    let pipeline: V1Pipeline
    /// Cards seen with their owner (`CardOwners`), for routing Weavr's card webhooks.
    let cardOwners: CardOwners

    /// Builds the pipeline's parts from the composition root; `idempotencyStore` defaults to its store.
    init(services: GatewayServices, idempotencyStore: (any IdempotencyStore)? = nil) {
        let authenticator = SessionResolver(services: services)
        self.authenticator = authenticator
        let audit = AuditTrail(services: services)
        self.audit = audit
        pipeline = V1Pipeline(
            authenticator: authenticator, denials: V1Denials(ledger: services.denials, audit: audit), rates: services.requestRates,
            metrics: services.metrics, idempotency: IdempotencyGuard(services: services, store: idempotencyStore, audit: audit), audit: audit
        )
        cardOwners = services.cardOwners
    }

    /// Adds the routes `build` declares under `/v1`, each behind the pipeline.
    func register(on router: inout Router, _ build: (inout V1Routes) -> Void) {
        var routes = V1Routes()
        build(&routes)
        let pipeline = self.pipeline
        for route in routes.declared {
            let (declaration, handler) = (route.declaration, route.handler)
            router.add(route.method, "/v1" + route.path) { request, context in
                try await pipeline.respond(declaration, handler, request, context)
            }
        }
    }
}

/// The `/v1` route table: each route with what it declares.
struct V1Routes {
    typealias Handler = @Sendable (V1Call) async throws -> HTTPResponse

    struct Declared {
        var method: String
        var path: String
        var declaration: V1RouteDeclaration
        var handler: Handler
    }

    private(set) var declared: [Declared] = []

    /// A read (GET): no body, no idempotency handling, no audit rows.
    mutating func query(_ path: String, _ handler: @escaping Handler) {
        declared.append(Declared(method: "GET", path: path, declaration: V1RouteDeclaration(), handler: handler))
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
        let declaration = V1RouteDeclaration(bodyLimit: bodyLimit, idempotency: idempotency, audit: step)
        declared.append(Declared(method: method, path: path, declaration: declaration, handler: handler))
    }
}
