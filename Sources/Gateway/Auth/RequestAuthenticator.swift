import Auth
import NIOFreeHTTP
import Storage

/// Resolves a request's session: bearer token or `__Host-gw_session` cookie, token verification, the live
/// session row, an active tenant, and for unsafe methods the CSRF rules. Every token failure answers the
/// same 401 body, so a client learns nothing about why.
struct RequestAuthenticator: Sendable {
    static let cookieName = "__Host-gw_session"
    let services: GatewayServices

    func authenticate(_ request: HTTPRequest) async throws(Problem) -> AuthenticatedRequest {
        let unsafe = !["GET", "HEAD", "OPTIONS"].contains(request.method)
        // Fetch metadata (W3C): a browser marks cross-site requests; no unsafe request may come from one.
        if unsafe, request.headers["sec-fetch-site"]?.lowercased() == "cross-site" {
            throw Problem(.csrfFailed, detail: "cross-site request refused")
        }
        let (token, viaCookie) = try Self.credential(request)
        let claims: SessionClaims
        do {
            claims = try SessionToken.verify(token, audience: services.settings.audience, now: services.clock.now, keyRing: services.keyRing)
        } catch {
            throw Self.rejected
        }
        let tenant: Tenant?
        do {
            tenant = try await services.tenants.get(claims.tid)
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        guard let tenant, tenant.status == .active else { throw Self.rejected }
        RequestObservation.current?.tenant = tenant.id
        // Defence in depth beside CSRF: an unsafe request from a page of another origin than the tenant's own.
        if unsafe { try Self.checkOrigin(request, of: tenant) }
        if viaCookie && !tenant.sessionModes.contains(.cookie) { throw Self.rejected }
        if !viaCookie && !tenant.sessionModes.contains(.bearer) { throw Self.rejected }
        let session: Session
        do {
            // The token was verified above: the session row is checked without a second HMAC.
            session = try await services.authenticator.authenticate(claims: claims, tenantID: tenant.id)
        } catch is SessionTokenError {
            throw Self.rejected
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        if viaCookie && unsafe {
            let expected = services.csrfToken(sid: session.sid)
            let given = request.headers["x-csrf-token"] ?? ""
            guard HMACSHA256.constantTimeEquals(Array(given.utf8), Array(expected.utf8)) else {
                throw Problem(.csrfFailed, detail: "send the session's CSRF token in X-CSRF-Token")
            }
        }
        let weavrToken: String?
        do {
            weavrToken = try await services.weavrToken(for: session)
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        guard let weavrToken else { throw Self.rejected }
        let weavr = try await services.weavr(for: tenant)
        return AuthenticatedRequest(tenant: tenant, session: session, weavr: weavr, weavrToken: weavrToken, viaCookie: viaCookie)
    }

    /// An `Origin` on an unsafe request must be one of `tenant`'s allowed origins (exact match); requests
    /// without `Origin` (native apps, servers) pass: CSRF protection covers browsers, which always send it.
    static func checkOrigin(_ request: HTTPRequest, of tenant: Tenant) throws(Problem) {
        guard let origin = request.headers["origin"], !tenant.allowedOrigins.contains(origin) else { return }
        throw Problem(.forbidden, detail: "this origin is not allowed for the tenant")
    }

    /// The single answer for every bad, expired, revoked or foreign token.
    static var rejected: Problem { Problem(.unauthenticated, detail: "log in to get a session") }

    /// The token from `Authorization: Bearer …`, else from the session cookie.
    static func credential(_ request: HTTPRequest) throws(Problem) -> (String, viaCookie: Bool) {
        if let authorization = request.headers["authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { throw rejected }
            return (String(parts[1]), false)
        }
        for header in request.headers.values("cookie") {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                if trimmed.hasPrefix(cookieName + "=") {
                    return (String(trimmed.dropFirst(cookieName.count + 1)), true)
                }
            }
        }
        throw rejected
    }

    /// A Weavr 401 means the user's Weavr token died: the gateway session ends with it.
    func endSessionIfWeavrRejected(_ error: Problem, _ auth: AuthenticatedRequest) async {
        guard error.code == .sessionExpired else { return }
        services.forgetWeavrToken(sid: auth.session.sid)
        _ = try? await services.sessions.revoke(sid: auth.session.sid, tenantID: auth.tenant.id)
    }
}
