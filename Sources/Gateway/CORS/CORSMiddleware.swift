import Auth
import NIOFreeHTTP

/// CORS (WHATWG Fetch §3.2) for browser frontends, from the tenants' `allowedOrigins` (exact match).
///
/// A preflight carries no credentials, so it cannot be tied to a tenant: an `OPTIONS` on a `/v1` path
/// with `Origin` and `Access-Control-Request-Method` is answered 204 when the origin is allowed by any
/// active tenant, else 403 `forbidden` without CORS headers. A preflight answer carries no data.
///
/// An actual response is readable (`Access-Control-Allow-Origin` + `-Credentials`) only by an origin of
/// the tenant the request acted for — the authenticated session's tenant, or the tenant of a login — so
/// tenant B's page can never read tenant A's data with A's cookie. A response for which no tenant was
/// established (a 401 before any session, `/openapi.json`) carries no tenant's data and is readable by any
/// active tenant's origin, so a page can see why it failed. Unsafe requests whose `Origin` is not one of
/// the session's tenant's are refused before they run (403, `SessionResolver`). `Vary: Origin` is
/// sent whenever the request had an `Origin`, since the answer depends on it (RFC 9110 §12.5.5).
struct CORSMiddleware: HTTPMiddleware {
    static let allowedMethods = "GET, POST, PATCH, DELETE"
    static let allowedHeaders = "authorization, content-type, idempotency-key, x-csrf-token, x-request-id"
    static let exposedHeaders = "x-request-id, idempotent-replayed, retry-after, ratelimit, ratelimit-policy"
    static let maxAgeSeconds = 600

    let origins: AllowedOrigins

    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard let origin = request.headers["origin"] else { return try await next(request, context) }
        let isV1 = request.path == "/v1" || request.path.hasPrefix("/v1/")
        if request.method == "OPTIONS", isV1, request.headers.contains("access-control-request-method") {
            guard await origins.contains(origin) else {
                return Problem(.forbidden, detail: "origin not allowed").response(headers: ["vary": "Origin"])
            }
            var headers = HTTPHeaders()
            headers.add("access-control-allow-origin", origin)
            headers.add("access-control-allow-credentials", "true")
            headers.add("access-control-allow-methods", Self.allowedMethods)
            headers.add("access-control-allow-headers", Self.allowedHeaders)
            headers.add("access-control-max-age", String(Self.maxAgeSeconds))
            headers.add("vary", "Origin")
            return HTTPResponse(status: 204, headers: headers)
        }
        var context = context
        let tenant = CORSTenant()
        context.values[CORSTenantKey.self] = tenant
        var response = try await next(request, context)
        response.headers.add("vary", "Origin")
        let allowed: Bool
        if let tenantOrigins = tenant.allowedOrigins {
            allowed = tenantOrigins.contains(origin)
        } else {
            allowed = await origins.contains(origin)
        }
        if allowed {
            response.headers.replaceOrAdd("access-control-allow-origin", origin)
            response.headers.replaceOrAdd("access-control-allow-credentials", "true")
            response.headers.replaceOrAdd("access-control-expose-headers", Self.exposedHeaders)
        }
        return response
    }

    /// A request without `Origin` passes as it is. One with an `Origin` needs the tenants' origins, which may have
    /// to be read from the store: it goes through `handle`.
    func handleImmediately(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) -> HTTPResponse?
    ) -> HTTPResponse? {
        guard !request.headers.contains("origin") else { return nil }
        return next(request, context)
    }
}
