import Auth
import GatewayCore
import NIOFreeHTTP
import Storage

/// Resolves a request's session: bearer token or `__Host-gw_session` cookie, token verification (once),
/// the live session row, an active tenant, and for unsafe methods the CSRF and Origin rules. Every token
/// failure answers the same 401 body, so a client learns nothing about why.
struct SessionResolver: Sendable {
    static let cookieName = "__Host-gw_session"
    let tenants: any TenantStore
    let keyRing: KeyRing
    let sessionAuthenticator: SessionAuthenticator
    let sessions: any SessionStore
    let csrf: CSRFTokens
    let weavr: WeavrAccess
    let audience: String
    let clock: any WallClock

    init(services: GatewayServices) {
        tenants = services.tenants
        keyRing = services.keyRing
        sessionAuthenticator = services.authenticator
        sessions = services.sessions
        csrf = services.csrf
        weavr = services.weavrAccess
        audience = services.settings.audience
        clock = services.clock
    }

    func authenticate(_ request: HTTPRequest) async throws(Problem) -> AuthenticatedRequest {
        let unsafe = switch request.method {
        case "GET", "HEAD", "OPTIONS": false
        default: true
        }
        // Fetch metadata (W3C): a browser marks cross-site requests; no unsafe request may come from one.
        if unsafe, request.headers["sec-fetch-site"]?.lowercased() == "cross-site" {
            throw Problem(.csrfFailed, detail: "cross-site request refused")
        }
        let (token, viaCookie) = try Self.credential(request)
        let claims: SessionClaims
        do {
            claims = try SessionToken.verify(token, audience: audience, now: clock.now, keyRing: keyRing)
        } catch {
            throw Self.rejected
        }
        let tenant: Tenant?
        do {
            tenant = try await tenants.get(claims.tid)
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
            session = try await sessionAuthenticator.authenticate(claims: claims, tenantID: tenant.id)
        } catch is SessionTokenError {
            throw Self.rejected
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        if viaCookie && unsafe {
            let expected = csrf.token(sid: session.sid)
            let given = request.headers["x-csrf-token"] ?? ""
            guard HMACSHA256.constantTimeEquals(Array(given.utf8), Array(expected.utf8)) else {
                throw Problem(.csrfFailed, detail: "send the session's CSRF token in X-CSRF-Token")
            }
        }
        let weavrToken: String?
        do {
            weavrToken = try await weavr.token(for: session)
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        guard let weavrToken else { throw Self.rejected }
        let weavr = try await weavr.client(for: tenant)
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
            // "Bearer <token>", the scheme case-insensitive (RFC 9110 §11.1), on the bytes.
            let utf8 = authorization.utf8
            guard let space = utf8.firstIndex(of: UInt8(ascii: " ")),
                  utf8[..<space].elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 })
            else { throw rejected }
            let token = authorization[utf8.index(after: space)...]
            guard !token.isEmpty else { throw rejected }
            return (String(token), false)
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
        weavr.forgetToken(sid: auth.session.sid)
        _ = try? await sessions.revoke(sid: auth.session.sid, tenantID: auth.tenant.id)
    }
}
