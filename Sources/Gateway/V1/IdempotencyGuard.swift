import Auth
import NIOFreeHTTP

/// `Idempotency-Key` on mutations (DESIGN.md): the first response is stored per tenant + user + key for
/// 24 h and replayed with `Idempotent-Replayed: true`; the same key with a different request → 422
/// `idempotency_key_reused`; while the first is in flight → 409 `idempotency_in_flight`.
///
/// TODO(issue 5): storage, replay and the in-flight check. Today it only derives the Weavr ref.
struct IdempotencyGuard: Sendable {
    let services: GatewayServices

    func run(
        request: HTTPRequest, context: RequestContext, auth: AuthenticatedRequest,
        _ body: (_ idempotencyRef: String?) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard let key = request.headers["idempotency-key"] else { return try await body(nil) }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw Problem(.validationFailed, invalidFields: [.init(name: "Idempotency-Key", reason: "1–255 visible ASCII characters")])
        }
        return try await body(services.idempotencyRef(tenantID: auth.tenant.id, userID: auth.session.userID, route: context.route ?? request.path, method: request.method, key: key))
    }
}
