import Audit
import Auth
import GatewayCore
public import NIOFreeHTTP
import Upstream

/// `/v1/auth/*` and `/v1/me`: login through Weavr, logout, step-up, and the current session.
public struct AuthRoutes: Sendable {
    /// The session machinery, shared with the `/v1` pipeline.
    let resolver: SessionResolver
    let throttle: LoginThrottle
    let denials: DenialLedger
    let audit: AuditTrail
    let v1: V1Router

    public init(services: GatewayServices) {
        v1 = V1Router(services: services)
        resolver = v1.authenticator
        throttle = services.loginThrottle
        denials = services.denials
        audit = v1.audit
    }

    /// `POST /v1/auth/login`: the one `/v1` route without a session, outside the `/v1` pipeline.
    public func registerLogin(on router: inout Router) {
        router.post("/v1/auth/login") { request, context in try await login(request, context) }
    }

    /// The routes that need a session, behind the `/v1` pipeline; they act on the session itself, so their
    /// `Idempotency-Key`s are the session's.
    func register(on routes: inout V1Routes) {
        routes.mutation("POST", "/auth/logout", bodyLimit: 4 * 1024, sessionBound: true) { call in try await logout(call) }
        routes.mutation("POST", "/auth/step-up", bodyLimit: 4 * 1024, sessionBound: true) { call in try await stepUp(call) }
        routes.mutation("POST", "/auth/step-up/verify", bodyLimit: 4 * 1024, sessionBound: true) { call in try await stepUpVerify(call) }
        routes.query("/me") { call in me(call) }
    }

    // MARK: login

    /// `auth.login` rows: a success (actor the Weavr user, the new session's hash) or a failure / refusal with
    /// actor `unknown`. The email appears only as its SHA-256 (`email_sha256`, lower-cased first) for
    /// correlation; the password never. A success whose row cannot be written ends the new session: 503.
    func loginFailed(
        _ request: HTTPRequest, _ context: RequestContext, tenant: Tenant?, email: String, reason: String,
        outcome: AuditOutcome = .failure, status: Int, weavr: WeavrError? = nil
    ) async {
        var details: [String: AuditDetails.Value] = ["reason": .string(reason)]
        if !email.isEmpty { details["email_sha256"] = .string(SHA256.hexHash(email.lowercased())) }
        await audit.record([audit.entry(
            request, context, .authLogin, tenant: tenant?.id, outcome: outcome, httpStatus: status,
            upstreamStatus: weavr?.status, upstreamRequestRef: weavr?.requestRef, details: AuditTrail.details(details)
        )])
    }

    func login(_ request: HTTPRequest, _ context: RequestContext) async throws(Problem) -> HTTPResponse {
        var body = try FieldReader(request: request, maxBytes: 16 * 1024)
        let tenantID = body.string("tenant", length: 2...63) ?? ""
        let email = body.string("email", length: 3...254) ?? ""
        let password = body.string("password", length: 1...100) ?? ""
        let requestedMode = body.optionalString("mode", length: 1...10)
        if !email.isEmpty && !email.contains("@") { body.fail("email", "must be an email address") }
        var mode: Tenant.SessionMode?
        if let requestedMode {
            mode = Tenant.SessionMode(rawValue: requestedMode)
            if mode == nil { body.fail("mode", "must be cookie or bearer") }
        }
        try body.validate()

        // Brute force and Weavr's rate limit: per client IP first, then — for an existing tenant only — per
        // tenant and per tenant + email, all before Weavr is asked (LoginThrottle). Refusals here are counted
        // (DenialLedger), not written one row each.
        let clientIP = audit.proxies.clientAddress(of: request)
        // Unknown or suspended tenants get the same answer as bad credentials.
        guard let tenant = try await admission.admit(request, context, clientIP: clientIP, tenantID: tenantID, subject: email) else {
            throw Self.invalidCredentials
        }
        let chosen = mode ?? (tenant.sessionModes.contains(.cookie) && !tenant.sessionModes.contains(.bearer) ? .cookie : .bearer)
        guard tenant.sessionModes.contains(chosen) else {
            throw Problem(.validationFailed, invalidFields: [.init(name: "mode", reason: "not enabled for this tenant")])
        }
        let weavr = try await resolver.weavr.client(for: tenant)
        var token: String
        var identity: IdentityID
        var userID: String
        do {
            let login = try await weavr.loginWithPassword(email: email, password: password, requestID: context.requestID).value
            token = login.token
            identity = login.identity
            userID = login.credentials.id
            if login.tokenType == "AUTH" {
                // An auth token only reaches /identities and /access_token: exchange it (Weavr docs, access tokens).
                token = try await weavr.accessToken(authToken: login.token, identity: login.identity, requestID: context.requestID).value.token
            }
        } catch {
            let problem: Problem
            let reason: String
            switch error.kind {
            // A locked user answers exactly like bad credentials: a 423 would tell which emails exist.
            case .locked:
                (problem, reason) = (Self.invalidCredentials, "locked")
            case .forbidden, .unauthorized, .notFound, .badRequest:
                (problem, reason) = (Self.invalidCredentials, "invalid_credentials")
            default:
                problem = Problem.upstream(error)
                reason = problem.code.rawValue
            }
            await loginFailed(request, context, tenant: tenant, email: email, reason: reason, status: problem.code.status, weavr: error)
            throw problem
        }
        let session: Session
        let gatewayToken: String
        do {
            session = try await resolver.sessions.create(
                tenantID: tenant.id, userID: userID, identity: WeavrIdentity(type: identity.type, id: identity.id), weavrToken: token
            )
            gatewayToken = try resolver.sessionAuthenticator.issueToken(for: session, audience: resolver.audience)
        } catch {
            // The session cannot be kept (disk full, database down): the Weavr token must not stay alive.
            _ = try? await weavr.logout(token: token, requestID: context.requestID)
            throw Problem(.serviceUnavailable, detail: "the session cannot be saved", retryAfter: 1)
        }
        do {
            try await audit.log.append(AuditEntry(
                tenant: tenant.id, actor: userID, sessionID: session.sid, action: .authLogin, outcome: .success, httpStatus: 200,
                requestID: context.requestID, clientIP: clientIP, userAgent: request.headers["user-agent"],
                details: AuditTrail.details(["mode": .string(chosen.rawValue)])
            ))
        } catch {
            _ = try? await resolver.sessions.revoke(sid: session.sid, tenantID: tenant.id)
            _ = try? await weavr.logout(token: token, requestID: context.requestID)
            throw Problem(.serviceUnavailable, detail: "the audit log cannot be written", retryAfter: 1)
        }
        throttle.succeeded(email, tenantID: tenant.id)

        var json = JSONWriter()
        json.beginObject()
        if chosen == .bearer {
            json.field("token", gatewayToken)
            json.field("tokenType", "Bearer")
        } else {
            json.field("csrfToken", resolver.csrf.token(sid: session.sid))
        }
        json.field("mode", chosen.rawValue)
        writeSession(&json, session: session, tenant: tenant)
        json.endObject()
        var headers = HTTPHeaders()
        headers.add("cache-control", "no-store")
        if chosen == .cookie {
            let maxAge = max(0, (session.absoluteExpiresAt - resolver.clock.now) / 1000)
            // __Host- prefix: Secure, Path=/, no Domain (RFC 6265bis §4.1.3.2).
            headers.add("set-cookie", "\(SessionResolver.cookieName)=\(gatewayToken); Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=\(maxAge)")
        }
        return .json(200, json.bytes, headers: headers)
    }

    /// A login refused by one of the limits: counted (not one audit row each), 429 with `Retry-After`.
    /// The limits of login (and of the other routes without a session: `CredentialRoutes`).
    var admission: PublicAdmission {
        PublicAdmission(resolver: resolver, throttle: throttle, denials: denials, purpose: "login", limitedDetail: "too many login attempts")
    }

    static var invalidCredentials: Problem {
        Problem(.unauthenticated, detail: "unknown tenant, email or password")
    }

    // MARK: logout

    func logout(_ call: V1Call) async throws(Problem) -> HTTPResponse {
        let auth = call.auth
        // Best effort at Weavr: the gateway session ends whatever Weavr answers.
        _ = try? await call.weavr.logout()
        resolver.weavr.forgetToken(sid: auth.session.sid)
        do {
            _ = try await resolver.sessions.revoke(sid: auth.session.sid, tenantID: auth.tenant.id)
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        await audit.record([audit.entry(call, .authLogout, target: nil, outcome: .success, httpStatus: 204)])
        var headers = HTTPHeaders()
        if auth.viaCookie {
            headers.add("set-cookie", "\(SessionResolver.cookieName)=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
        }
        return HTTPResponse(status: 204, headers: headers)
    }

    // MARK: step-up

    func stepUp(_ call: V1Call) async throws -> HTTPResponse {
        _ = try await call.weavr.stepUpChallenge()
        var json = JSONWriter()
        json.beginObject()
        json.field("channel", "sms")
        json.field("status", "challenge_sent")
        json.endObject()
        return .json(202, json.bytes)
    }

    func stepUpVerify(_ call: V1Call) async throws -> HTTPResponse {
        let auth = call.auth
        var body = try FieldReader(request: call.request, maxBytes: 4 * 1024)
        let code = body.string("code", length: 6...6) ?? ""
        if !code.isEmpty && !code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { body.fail("code", "must be 6 digits") }
        try body.validate()
        let verified: WeavrResult<WeavrEmpty>
        do {
            verified = try await call.weavr.stepUpVerify(code: code)
        } catch {
            var problem = Problem.upstream(error)
            if case .conflict(let weavrCode) = error.kind, weavrCode == "VERIFICATION_CODE_INVALID" || weavrCode == "VERIFICATION_CODE_EXPIRED" {
                problem = Problem(.validationFailed, invalidFields: [.init(name: "code", reason: weavrCode == "VERIFICATION_CODE_EXPIRED" ? "expired" : "incorrect")])
            }
            await audit.record([audit.entry(
                call, .authStepUp, target: nil, outcome: .failure, httpStatus: problem.code.status, upstreamStatus: error.status,
                upstreamRequestRef: error.requestRef, details: AuditTrail.details(["upstream_code": .string(error.code ?? "-")])
            )])
            if problem.code == .validationFailed { throw problem }
            throw error
        }
        await audit.record([audit.entry(
            call, .authStepUp, target: nil, outcome: .success, httpStatus: 200, upstreamStatus: verified.status, upstreamRequestRef: verified.requestRef
        )])
        let session: Session
        do {
            guard let updated = try await resolver.sessions.markSteppedUp(sid: auth.session.sid, tenantID: auth.tenant.id, weavrToken: nil) else {
                throw SessionResolver.rejected
            }
            session = updated
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        var json = JSONWriter()
        json.beginObject()
        writeSession(&json, session: session, tenant: auth.tenant)
        json.endObject()
        return .json(200, json.bytes)
    }

    // MARK: me

    func me(_ call: V1Call) -> HTTPResponse {
        let auth = call.auth
        var json = JSONWriter()
        json.beginObject()
        writeSession(&json, session: auth.session, tenant: auth.tenant)
        json.endObject()
        return .json(200, json.bytes, headers: ["cache-control": "no-store"])
    }

    /// The public view of a session: who, which tenant, step-up state, expiries. No secrets.
    private func writeSession(_ json: inout JSONWriter, session: Session, tenant: Tenant) {
        json.key("tenant")
        json.beginObject()
        json.field("id", tenant.id)
        json.field("name", tenant.name)
        json.endObject()
        json.key("user")
        json.beginObject()
        json.field("id", session.userID)
        json.key("identity")
        json.beginObject()
        json.field("type", session.identity.type.lowercased())
        json.field("id", session.identity.id)
        json.endObject()
        json.endObject()
        json.field("steppedUp", session.isSteppedUp)
        json.field("expiresAt", Timestamp.iso8601(milliseconds: session.absoluteExpiresAt))
        json.field("idleExpiresAt", Timestamp.iso8601(milliseconds: session.idleExpiresAt))
    }
}
