import Audit
import Auth
import GatewayCore
import NIOFreeHTTP
import Upstream

/// The user's own credentials through Weavr.
///
/// Without a session (registered beside login, limited like it by `LoginThrottle`: per client IP, per tenant and
/// per tenant + subject — the invited user, or the email — so a 6-digit code or nonce cannot be guessed):
/// - `POST /v1/auth/invites/consume` `{tenant, userId, inviteCode, password}` → 204: the invited user sets their
///   password (Weavr `/users/{user_id}/invite/consume`); audited `user.invite.consume`, actor the user id.
/// - `POST /v1/auth/password/lost` `{tenant, email}` → always 204, whether or not the email exists (Weavr
///   `/passwords/lost_password/start` emails a nonce); audited `auth.password.lost` with the email's SHA-256.
/// - `POST /v1/auth/password/reset` `{tenant, email, nonce, newPassword}` → 204 (Weavr
///   `/passwords/lost_password/resume`); audited `auth.password.reset`.
///
/// With a session (behind the `/v1` pipeline): `POST /v1/auth/password` `{oldPassword, newPassword}` (Weavr
/// `/passwords/update`, `auth.password.change`), `POST /v1/auth/factors/sms` and `/v1/auth/factors/sms/verify`
/// `{code}` (Weavr `/authentication_factors/otp/SMS[/verify]`, `auth.factor.enrol` / `auth.factor.verify`).
///
/// Each writes its intent row before Weavr is called (none written: 503, Weavr not called) and its outcome after.
/// Passwords, codes and nonces are never in an answer, a log line or an audit row; tokens Weavr hands back are
/// logged out at once (the user logs in through `/v1/auth/login`).
struct CredentialRoutes: Sendable {
    let resolver: SessionResolver
    let throttle: LoginThrottle
    let denials: DenialLedger
    let audit: AuditTrail

    init(auth: AuthRoutes) {
        resolver = auth.resolver
        throttle = auth.throttle
        denials = auth.denials
        audit = auth.audit
    }

    func registerPublic(on router: inout Router) {
        router.post("/v1/auth/invites/consume") { request, context in try await consumeInvite(request, context) }
        router.post("/v1/auth/password/lost") { request, context in try await lostPassword(request, context) }
        router.post("/v1/auth/password/reset") { request, context in try await resetPassword(request, context) }
    }

    func register(on routes: inout V1Routes) {
        routes.mutation("POST", "/auth/password", bodyLimit: 4 * 1024, replayable: false, audit: AuditStep(action: .authPasswordChange)) { call in
            try await changePassword(call)
        }
        routes.mutation("POST", "/auth/factors/sms", bodyLimit: 1024, sessionBound: true, audit: AuditStep(action: .authFactorEnrol)) { call in
            try await enrolSMS(call)
        }
        routes.mutation("POST", "/auth/factors/sms/verify", bodyLimit: 4 * 1024, sessionBound: true, replayable: false, audit: AuditStep(action: .authFactorVerify)) { call in
            try await verifySMS(call)
        }
    }

    static let noContent = HTTPResponse(status: 204, headers: ["cache-control": "no-store"])
    static let inviteInvalid = Problem(.conflict, detail: "no such invite, or the code is wrong or used", upstreamCode: "INVITE_OR_INVITE_CODE_INVALID")
    static let nonceInvalid = Problem(.conflict, detail: "the email or the nonce is wrong, or the nonce is used", upstreamCode: "INVALID_NONCE_OR_EMAIL")

    // MARK: public

    /// `POST /v1/auth/invites/consume`.
    func consumeInvite(_ request: HTTPRequest, _ context: RequestContext) async throws(Problem) -> HTTPResponse {
        var body = try FieldReader(request: request, maxBytes: 16 * 1024)
        let tenantID = body.string("tenant", length: 2...63) ?? ""
        if !tenantID.isEmpty, !Tenant.isSlug(tenantID) { body.fail("tenant", "a tenant id: lower-case letters, digits and hyphens") }
        let userID = body.string("userId", length: 1...32) ?? ""
        if !userID.isEmpty && !FieldReader.isNumericID(userID) { body.fail("userId", "must be a Weavr user id (digits)") }
        let code = Self.digits(&body, "inviteCode")
        let password = body.string("password", length: 1...100) ?? ""
        try body.validate()
        let subject = "invite:" + userID
        guard let (tenant, weavr) = try await admit(request, context, tenantID: tenantID, subject: subject) else { throw Self.inviteInvalid }
        try await intent(request, context, .userInviteConsume, tenant: tenant, actor: userID, target: userID)
        do {
            let result = try await weavr.consumeInvite(userId: userID, body: InviteConsumeBody(inviteCode: code, password: password), requestID: context.requestID)
            await endToken(result.value.token, weavr, context)
            throttle.succeeded(subject, tenantID: tenant.id)
            await outcome(request, context, .userInviteConsume, tenant: tenant, actor: userID, target: userID, .success, 204, result.status, result.requestRef)
            return Self.noContent
        } catch {
            let problem: Problem
            switch error.kind {
            case .notFound, .forbidden, .unauthorized: problem = Self.inviteInvalid
            default: problem = Problem.upstream(error)
            }
            await outcome(request, context, .userInviteConsume, tenant: tenant, actor: userID, target: userID, .failure, problem.code.status, error.status, error.requestRef,
                          details: ["upstream_code": .string(error.code ?? "-")])
            throw problem
        }
    }

    /// `POST /v1/auth/password/lost`: 204 whatever Weavr says about the email (only Weavr's outages show).
    func lostPassword(_ request: HTTPRequest, _ context: RequestContext) async throws(Problem) -> HTTPResponse {
        var body = try FieldReader(request: request, maxBytes: 16 * 1024)
        let tenantID = body.string("tenant", length: 2...63) ?? ""
        if !tenantID.isEmpty, !Tenant.isSlug(tenantID) { body.fail("tenant", "a tenant id: lower-case letters, digits and hyphens") }
        let email = Self.email(&body)
        try body.validate()
        guard let (tenant, weavr) = try await admit(request, context, tenantID: tenantID, subject: "lost:" + email) else { return Self.noContent }
        let details: [String: AuditDetails.Value] = ["email_sha256": .string(SHA256.hexHash(email.lowercased()))]
        try await intent(request, context, .authPasswordLost, tenant: tenant, actor: "unknown", target: nil, details: details)
        do {
            let result = try await weavr.lostPasswordStart(email: email, requestID: context.requestID)
            await outcome(request, context, .authPasswordLost, tenant: tenant, actor: "unknown", target: nil, .success, 204, result.status, result.requestRef, details: details)
            return Self.noContent
        } catch {
            switch error.kind {
            case .conflict, .notFound, .forbidden, .badRequest:
                // Unknown email (ACCOUNT_NOT_FOUND) and the like: the same answer as a sent email.
                await outcome(request, context, .authPasswordLost, tenant: tenant, actor: "unknown", target: nil, .failure, 204, error.status, error.requestRef,
                              details: details.merging(["upstream_code": .string(error.code ?? "-")]) { $1 })
                return Self.noContent
            default:
                let problem = Problem.upstream(error)
                await outcome(request, context, .authPasswordLost, tenant: tenant, actor: "unknown", target: nil, .failure, problem.code.status, error.status,
                              error.requestRef, details: details)
                throw problem
            }
        }
    }

    /// `POST /v1/auth/password/reset`.
    func resetPassword(_ request: HTTPRequest, _ context: RequestContext) async throws(Problem) -> HTTPResponse {
        var body = try FieldReader(request: request, maxBytes: 16 * 1024)
        let tenantID = body.string("tenant", length: 2...63) ?? ""
        if !tenantID.isEmpty, !Tenant.isSlug(tenantID) { body.fail("tenant", "a tenant id: lower-case letters, digits and hyphens") }
        let email = Self.email(&body)
        let nonce = Self.digits(&body, "nonce")
        let password = body.string("newPassword", length: 1...100) ?? ""
        try body.validate()
        let subject = "reset:" + email
        guard let (tenant, weavr) = try await admit(request, context, tenantID: tenantID, subject: subject) else { throw Self.nonceInvalid }
        let details: [String: AuditDetails.Value] = ["email_sha256": .string(SHA256.hexHash(email.lowercased()))]
        try await intent(request, context, .authPasswordReset, tenant: tenant, actor: "unknown", target: nil, details: details)
        do {
            let result = try await weavr.lostPasswordResume(email: email, nonce: nonce, newPassword: password, requestID: context.requestID)
            await endToken(result.value.token, weavr, context)
            throttle.succeeded(subject, tenantID: tenant.id)
            await outcome(request, context, .authPasswordReset, tenant: tenant, actor: "unknown", target: nil, .success, 204, result.status, result.requestRef, details: details)
            return Self.noContent
        } catch {
            let problem: Problem
            switch error.kind {
            case .notFound, .forbidden, .unauthorized: problem = Self.nonceInvalid
            default: problem = Problem.upstream(error)
            }
            await outcome(request, context, .authPasswordReset, tenant: tenant, actor: "unknown", target: nil, .failure, problem.code.status, error.status,
                          error.requestRef, details: details.merging(["upstream_code": .string(error.code ?? "-")]) { $1 })
            throw problem
        }
    }

    /// `PublicAdmission` (login's limits, in login's order), and the tenant's Weavr client. Nil for an unknown or
    /// suspended tenant (the caller answers as it answers a wrong code, so tenants cannot be probed).
    private func admit(_ request: HTTPRequest, _ context: RequestContext, tenantID: String, subject: String) async throws(Problem) -> (Tenant, WeavrClient)? {
        let admission = PublicAdmission(resolver: resolver, throttle: throttle, denials: denials, purpose: "credentials", limitedDetail: "too many attempts")
        let clientIP = audit.proxies.clientAddress(of: request)
        guard let tenant = try await admission.admit(request, context, clientIP: clientIP, tenantID: tenantID, subject: subject) else { return nil }
        return (tenant, try await resolver.weavr.client(for: tenant))
    }

    /// The intent row, durably: if it cannot be written, Weavr is not called.
    private func intent(_ request: HTTPRequest, _ context: RequestContext, _ action: AuditAction, tenant: Tenant, actor: String, target: String?,
                        details: [String: AuditDetails.Value] = [:]) async throws(Problem) {
        do {
            try await audit.log.append(audit.entry(request, context, action, tenant: tenant.id, actor: actor, target: target, outcome: .intent,
                                                   details: AuditTrail.details(details)))
        } catch {
            throw Problem(.serviceUnavailable, detail: "the audit log cannot be written", retryAfter: 1)
        }
    }

    private func outcome(_ request: HTTPRequest, _ context: RequestContext, _ action: AuditAction, tenant: Tenant, actor: String, target: String?,
                         _ outcome: AuditOutcome, _ status: Int, _ upstreamStatus: Int?, _ upstreamRequestRef: String?,
                         details: [String: AuditDetails.Value] = [:]) async {
        await audit.record([audit.entry(request, context, action, tenant: tenant.id, actor: actor, target: target, outcome: outcome, httpStatus: status,
                                        upstreamStatus: upstreamStatus, upstreamRequestRef: upstreamRequestRef, details: AuditTrail.details(details))])
    }

    /// A token Weavr hands back after setting a password is not kept: the user logs in through `/v1/auth/login`.
    private func endToken(_ token: String?, _ weavr: WeavrClient, _ context: RequestContext) async {
        guard let token else { return }
        _ = try? await weavr.logout(token: token, requestID: context.requestID)
    }

    private static func digits(_ body: inout FieldReader, _ name: String) -> String {
        let value = body.string(name, length: 6...6) ?? ""
        if !value.isEmpty && !value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { body.fail(name, "must be 6 digits") }
        return value
    }

    private static func email(_ body: inout FieldReader) -> String {
        let email = body.string("email", length: 3...254) ?? ""
        if !email.isEmpty && !UserInput.isEmail(email) { body.fail("email", "must be an email address") }
        return email
    }

    // MARK: session

    /// `POST /v1/auth/password` `{oldPassword, newPassword}` → 204. Never replayed or stored (no Idempotency-Key).
    func changePassword(_ call: V1Call) async throws -> HTTPResponse {
        var body = try FieldReader(request: call.request, maxBytes: 4 * 1024)
        let old = body.string("oldPassword", length: 1...100) ?? ""
        let new = body.string("newPassword", length: 1...100) ?? ""
        try body.validate()
        return try await call.audited {
            let result: WeavrResult<TokenResponse>
            do throws(WeavrError) {
                result = try await call.weavr.updatePassword(old: old, new: new)
            } catch {
                if case .conflict(let code) = error.kind, code == "PASSWORD_INCORRECT" {
                    throw UpstreamFailure(problem: Problem(.validationFailed, invalidFields: [.init(name: "oldPassword", reason: "incorrect")]), weavr: error)
                }
                throw UpstreamFailure(error)
            }
            if let token = result.value.token { _ = try? await call.weavr.client.logout(token: token, requestID: call.requestID) }
            return AuditedOutcome(response: Self.noContent, upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `POST /v1/auth/factors/sms` → 202 `{channel: sms, status: code_sent}`: Weavr texts a code to the user's mobile.
    func enrolSMS(_ call: V1Call) async throws -> HTTPResponse {
        try await call.audited {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.enrolSMS() }
            var json = JSONWriter()
            json.beginObject()
            json.field("channel", "sms")
            json.field("status", "code_sent")
            json.endObject()
            return AuditedOutcome(response: .json(202, json.bytes, headers: ["cache-control": "no-store"]), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `POST /v1/auth/factors/sms/verify` `{code}` → 204: the mobile is enrolled and step-up works. A wrong or
    /// expired code is 422 on `code`, as for step-up.
    func verifySMS(_ call: V1Call) async throws -> HTTPResponse {
        var body = try FieldReader(request: call.request, maxBytes: 4 * 1024)
        let code = Self.digits(&body, "code")
        try body.validate()
        return try await call.audited {
            let result: WeavrResult<WeavrEmpty>
            do throws(WeavrError) {
                result = try await call.weavr.enrolSMSVerify(code: code)
            } catch {
                if case .conflict(let weavrCode) = error.kind, weavrCode == "VERIFICATION_CODE_INVALID" || weavrCode == "VERIFICATION_CODE_EXPIRED" {
                    let reason = weavrCode == "VERIFICATION_CODE_EXPIRED" ? "expired; ask for a new code" : "incorrect"
                    throw UpstreamFailure(problem: Problem(.validationFailed, invalidFields: [.init(name: "code", reason: reason)]), weavr: error)
                }
                throw UpstreamFailure(error)
            }
            return AuditedOutcome(response: Self.noContent, upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }
}
