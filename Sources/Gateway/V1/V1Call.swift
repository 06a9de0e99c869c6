public import NIOFreeHTTP

/// One authenticated `/v1` call as a route handler sees it.
public struct V1Call: Sendable {
    public let request: HTTPRequest
    public let context: RequestContext
    public let auth: AuthenticatedRequest
    /// Derived from the client's `Idempotency-Key` (tenant, user, route, key): forward it to Weavr as
    /// `idempotency-ref` where the operation declares one. Nil when the client sent no key.
    public let idempotencyRef: String?

    /// The request id (echoed in `X-Request-Id`, forwarded to Weavr, written to logs).
    public var requestID: String { context.requestID }
    /// The user's Weavr token (never returned, logged or stored in plaintext).
    var weavrToken: String { auth.weavrToken }
}
