import Audit
import Auth
import GatewayCore
import NIOFreeHTTP
import Synchronization

/// The audit console on the admin listener (`/admin/console`): server-rendered HTML without script, a strict
/// CSP, sign-in with an admin token into a short-lived server-side session (HttpOnly, SameSite=Strict cookie,
/// `Secure` over TLS), a CSRF token in every form, and an `admin.audit.view` / `admin.audit.export` row for
/// every page and export.
final class AdminConsole: Sendable {
    static let cookieName = "wgc_session"
    static let signInCookieName = "wgc_signin"
    static let prefix = "/admin/console"

    let api: AdminAPI
    let sessions: ConsoleSessions
    /// The last chain verification run from the console: result and when.
    let lastVerification = Mutex<(result: AuditVerification, at: Int64)?>(nil)

    init(api: AdminAPI) {
        self.api = api
        sessions = ConsoleSessions(clock: api.services.clock)
    }

    var services: GatewayServices { api.services }

    /// The signed-in user of a console page.
    struct Viewer: Sendable {
        var admin: String
        var csrf: String
        var cookie: String
        var signedIn: (admin: String, csrf: String) { (admin, csrf) }
    }

    typealias Page = @Sendable (HTTPRequest, Viewer) async throws -> HTTPResponse

    func register(on router: inout Router) {
        router.add("GET", Self.prefix + "/console.css") { _, _ in
            HTTPResponse(status: 200, headers: ConsolePage.headers(contentType: "text/css; charset=utf-8"), body: Array(ConsolePage.stylesheet.utf8))
        }
        router.add("GET", Self.prefix + "/favicon.svg") { _, _ in
            HTTPResponse(status: 200, headers: ConsolePage.headers(contentType: "image/svg+xml"), body: Array(ConsolePage.favicon.utf8))
        }
        router.add("GET", Self.prefix) { [self] request, _ in
            viewer(request) == nil ? ConsolePage.redirect(Self.prefix + "/sign-in") : ConsolePage.redirect(Self.prefix + "/audit")
        }
        router.add("GET", Self.prefix + "/sign-in") { [self] request, _ in try signInPage(request, error: nil) }
        router.add("POST", Self.prefix + "/sign-in") { [self] request, context in try await signIn(request, context) }
        post(&router, "/sign-out", action: "admin.console.sign_out") { [self] _, viewer in
            sessions.close(cookie: viewer.cookie)
            return ConsolePage.redirect(Self.prefix + "/sign-in", extraHeaders: [("set-cookie", cookie(Self.cookieName, "", maxAge: 0, secure: false))])
        }
        page(&router, "/audit", action: "admin.audit.view") { [self] request, viewer in try await auditPage(request, viewer, heading: nil) }
        page(&router, "/cards/{id}", action: "admin.audit.view", target: "id") { [self] request, viewer in
            try await auditPage(request, viewer, heading: .card(request.pathParameters["id"] ?? ""))
        }
        page(&router, "/actors/{id}", action: "admin.audit.view", target: "id") { [self] request, viewer in
            try await auditPage(request, viewer, heading: .actor(request.pathParameters["id"] ?? ""))
        }
        page(&router, "/export", action: "admin.audit.export") { [self] request, _ in try exportResponse(request) }
        page(&router, "/chain", action: "admin.audit.view") { [self] _, viewer in try await chainPage(viewer) }
        post(&router, "/chain/verify", action: "admin.audit.verify") { [self] _, _ in
            let result = try await services.audit.verify()
            lastVerification.withLock { $0 = (result, services.clock.now) }
            return ConsolePage.redirect(Self.prefix + "/chain")
        }
        post(&router, "/chain/checkpoint", action: "admin.audit.checkpoint.sign") { [self] _, _ in
            _ = try await services.checkpoints.tick(force: true)
            return ConsolePage.redirect(Self.prefix + "/chain")
        }
        page(&router, "/tenants", action: "admin.audit.view") { [self] _, viewer in try await tenantsPage(viewer) }
        post(&router, "/tenants/{id}/sessions/{sid}/revoke", action: "admin.session.revoke", target: "sid") { [self] request, _ in
            let tenant = request.pathParameters["id"] ?? ""
            let sid = request.pathParameters["sid"] ?? ""
            services.weavrAccess.forgetToken(sid: sid)
            _ = try await services.sessions.revoke(sid: sid, tenantID: tenant)
            return ConsolePage.redirect(Self.prefix + "/tenants")
        }
    }

    /// A GET page: needs a console session (else to the sign-in page), is audited with `action`.
    private func page(_ router: inout Router, _ path: String, action: String, target: String? = nil, _ body: @escaping Page) {
        router.add("GET", Self.prefix + path) { [self] request, context in
            guard let viewer = viewer(request) else { return ConsolePage.redirect(Self.prefix + "/sign-in") }
            return await run(request, context, viewer, action: action, target: target.flatMap { request.pathParameters[$0] }, body)
        }
    }

    /// A POST action: needs a console session and the session's CSRF token in the form, is audited.
    private func post(_ router: inout Router, _ path: String, action: String, target: String? = nil, _ body: @escaping Page) {
        router.add("POST", Self.prefix + path) { [self] request, context in
            guard let viewer = viewer(request) else {
                services.denials.record(reason: "admin_unauthenticated", clientIP: request.peer.host)
                return ConsolePage.render(title: "Signed out", main: "<p>Your console session ended. <a href=\"/admin/console/sign-in\">Sign in</a>.</p>", signedIn: nil, status: 401)
            }
            let form = Self.form(request.body)
            guard let token = form["csrf"], HMACSHA256.constantTimeEquals(Array(token.utf8), Array(viewer.csrf.utf8)) else {
                let response = ConsolePage.render(title: "Refused", main: "<p class=\"error\">The form's CSRF token is missing or wrong; reload the page and try again.</p>", signedIn: viewer.signedIn, status: 403)
                await audit(request, context, admin: viewer.admin, action: action, target: target.flatMap { request.pathParameters[$0] }, status: 403)
                return response
            }
            return await run(request, context, viewer, action: action, target: target.flatMap { request.pathParameters[$0] }, body)
        }
    }

    private func run(_ request: HTTPRequest, _ context: RequestContext, _ viewer: Viewer, action: String, target: String?, _ body: Page) async -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await body(request, viewer)
        } catch let problem as Problem {
            let detail = problem.detail ?? "The request could not be served."
            response = ConsolePage.render(title: "Cannot show this", main: "<p class=\"error\">\(HTMLText.escape(detail))</p>", signedIn: viewer.signedIn, status: problem.code.status)
        } catch {
            response = ConsolePage.render(title: "Unavailable", main: "<p class=\"error\">The store did not answer; try again.</p>", signedIn: viewer.signedIn, status: 503)
        }
        await audit(request, context, admin: viewer.admin, action: action, target: target, status: response.status)
        return response
    }

    private func audit(_ request: HTTPRequest, _ context: RequestContext, admin: String?, action: String, target: String?, status: Int) async {
        await api.onAudit(AdminAPI.Call(
            admin: admin, action: action, target: target, status: status, requestID: context.requestID,
            clientIP: request.peer.host, userAgent: request.headers["user-agent"]
        ))
    }

    private func viewer(_ request: HTTPRequest) -> Viewer? {
        guard let cookie = Self.cookies(request)[Self.cookieName], !cookie.isEmpty, let session = sessions.session(cookie: cookie) else { return nil }
        // An admin whose token was removed from the tokens file (SIGHUP) loses the console too.
        guard api.tokens.tokens.contains(admin: session.admin) else {
            sessions.close(cookie: cookie)
            return nil
        }
        return Viewer(admin: session.admin, csrf: session.csrf, cookie: cookie)
    }

    // MARK: sign-in

    private func signInPage(_ request: HTTPRequest, error: String?, status: Int = 200) throws -> HTTPResponse {
        // Double-submit token for the sign-in form: a random value in a SameSite=Strict cookie and in the form.
        let nonce = try SecureRandom.hex(32)
        let main = """
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTMLText.escape($0))</p>" } ?? "")
            <form method="post" action="/admin/console/sign-in" class="signin">
            <input type="hidden" name="csrf" value="\(nonce)">
            <label for="token">Admin token<input id="token" name="token" type="password" autocomplete="off" required autofocus></label>
            <button type="submit">Sign in</button>
            </form>
            <p>The token is one of the admin API's bearer tokens (<code>weavr-gateway admin-token NAME</code>). The session lasts 30 minutes.</p>
            """
        return ConsolePage.render(title: "Sign in", main: main, signedIn: nil, status: status,
                                  extraHeaders: [("set-cookie", cookie(Self.signInCookieName, nonce, maxAge: 600, secure: request.tls != nil))])
    }

    private func signIn(_ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        let form = Self.form(request.body)
        guard let nonce = Self.cookies(request)[Self.signInCookieName], let sent = form["csrf"],
            HMACSHA256.constantTimeEquals(Array(nonce.utf8), Array(sent.utf8))
        else {
            return try signInPage(request, error: "The form expired or did not come from this console; try again.", status: 403)
        }
        guard let token = form["token"], let admin = api.tokens.tokens.admin(for: token) else {
            services.denials.record(reason: "admin_unauthenticated", clientIP: request.peer.host)
            return try signInPage(request, error: "That token is not an admin token.", status: 401)
        }
        let (value, _) = try sessions.open(admin: admin)
        await audit(request, context, admin: admin, action: "admin.console.sign_in", target: nil, status: 303)
        let secure = request.tls != nil
        return ConsolePage.redirect(Self.prefix + "/audit", extraHeaders: [
            ("set-cookie", cookie(Self.cookieName, value, maxAge: Int(ConsoleSessions.lifetime / 1000), secure: secure)),
            ("set-cookie", cookie(Self.signInCookieName, "", maxAge: 0, secure: secure)),
        ])
    }

    /// `name=value; Path=/admin/console; HttpOnly; SameSite=Strict; Max-Age=N` (`; Secure` over TLS).
    func cookie(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=\(Self.prefix); Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    static func cookies(_ request: HTTPRequest) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in request.headers.values("cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingASCIISpaces
                if cookies[name] == nil { cookies[name] = parts[1].trimmingASCIISpaces }
            }
        }
        return cookies
    }

    /// An `application/x-www-form-urlencoded` body.
    static func form(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? PercentDecoding.decode(parts[1]) ?? "" : ""
        }
        return fields
    }
}

extension Substring {
    fileprivate var trimmingASCIISpaces: String {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
