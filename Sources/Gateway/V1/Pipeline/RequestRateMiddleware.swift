import NIOFreeHTTP

/// Request rates per tenant and per session (`RequestRateLimits`): over either → 429 `rate_limited` with
/// `Retry-After`; every answer, problems included, carries the `RateLimit-Policy` / `RateLimit` fields
/// (draft-ietf-httpapi-ratelimit-headers-11), merged with a route's own (a daily quota) since both are lists.
struct RequestRateMiddleware: HTTPMiddleware {
    let rates: RequestRateLimits
    let metrics: GatewayMetrics

    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard let principal = context.principal else { return try await next(request, context) }
        let rate = await rates.check(tenant: principal.tenant, sid: principal.session.sid)
        guard rate.allowed else {
            metrics.recordRateLimited(tenant: principal.tenant.id, scope: rate.scope)
            return Problem(.rateLimited, detail: "request rate over the tenant's or session's limit", retryAfter: rate.retryAfter)
                .response(headers: rate.headers)
        }
        var response: HTTPResponse
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = error.response()
        }
        for (name, value) in rate.headers {
            if let own = response.headers[name] {
                response.headers.replaceOrAdd(name, value + ", " + own)
            } else {
                response.headers.add(name, value)
            }
        }
        return response
    }
}
