public import NIOFreeHTTP

/// Security headers on every response of a router (its own 404/405 included):
/// - `X-Content-Type-Options: nosniff` — a browser never guesses a type other than the one sent;
/// - `Referrer-Policy: no-referrer` — nothing of a URL leaks to another site;
/// - `Cache-Control: no-store` on `/v1` and `/admin` unless the route set its own — session data never
///   lands in a shared or browser cache;
/// - `Strict-Transport-Security: max-age=N` when the listener speaks TLS (`hstsMaxAgeSeconds`, RFC 6797;
///   never on plain HTTP, where a browser ignores it anyway).
public struct SecurityHeadersMiddleware: HTTPMiddleware {
    let hstsMaxAgeSeconds: Int?

    /// `hstsMaxAgeSeconds`: nil or 0 sends no `Strict-Transport-Security`.
    public init(hstsMaxAgeSeconds: Int? = nil) {
        self.hstsMaxAgeSeconds = hstsMaxAgeSeconds.flatMap { $0 > 0 ? $0 : nil }
    }

    public func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var response = try await next(request, context)
        decorate(&response, isPrivate: Self.isPrivate(request.path))
        return response
    }

    public func handleImmediately(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) -> HTTPResponse?
    ) -> HTTPResponse? {
        guard var response = next(request, context) else { return nil }
        decorate(&response, isPrivate: Self.isPrivate(request.path))
        return response
    }

    /// `render` with these headers added: for the server's own refusals (400, 408, 413, 431, …), which never
    /// pass through the middlewares. They belong to no route, so they are never cached either.
    public func rendering(_ render: @escaping @Sendable (HTTPServerProblem) -> HTTPResponse) -> @Sendable (HTTPServerProblem) -> HTTPResponse {
        { problem in
            var response = render(problem)
            decorate(&response, isPrivate: true)
            return response
        }
    }

    func decorate(_ response: inout HTTPResponse, isPrivate: Bool) {
        response.headers.replaceOrAdd("x-content-type-options", "nosniff")
        response.headers.replaceOrAdd("referrer-policy", "no-referrer")
        if isPrivate, !response.headers.contains("cache-control") {
            response.headers.add("cache-control", "no-store")
        }
        if let hstsMaxAgeSeconds {
            response.headers.replaceOrAdd("strict-transport-security", "max-age=\(hstsMaxAgeSeconds)")
        }
    }

    /// `/v1…` and `/admin…`: answers that belong to one session or one operator.
    static func isPrivate(_ path: String) -> Bool {
        path == "/v1" || path.hasPrefix("/v1/") || path == "/admin" || path.hasPrefix("/admin/")
    }
}
