import Auth
import NIOFreeHTTP

/// The limits of a request that has no session yet (login, invite consume, lost password, reset), in one
/// order (`LoginThrottle`): the client IP, then — for an existing, active tenant whose Origin rules pass — the
/// tenant and the request's subject (an email, an invited user). Refusals are counted (`DenialLedger`), not
/// written one row each.
struct PublicAdmission: Sendable {
    let resolver: SessionResolver
    let throttle: LoginThrottle
    let denials: DenialLedger
    /// `login` or `credentials`: the prefix of the denial reasons.
    let purpose: String
    /// The 429's detail.
    let limitedDetail: String

    /// The tenant the request may go on with; nil for an unknown or suspended tenant (the caller answers as
    /// it answers bad credentials, so tenants cannot be probed). Throws 429, 403 (Origin) or 503.
    func admit(
        _ request: HTTPRequest, _ context: RequestContext, clientIP: String, tenantID: String, subject: String
    ) async throws(Problem) -> Tenant? {
        let byIP = throttle.admitClientIP(clientIP)
        guard byIP.allowed else { throw refuse(.clientIP, byIP, clientIP: clientIP, tenant: nil) }
        let tenant: Tenant?
        do {
            tenant = try await resolver.tenants.get(tenantID)
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        guard let tenant, tenant.status == .active else {
            denials.record(reason: purpose + "_unknown_tenant", clientIP: clientIP)
            return nil
        }
        RequestObservation.current?.tenant = tenant.id
        context.establishCORSTenant(tenant)
        do {
            try SessionResolver.checkOrigin(request, of: tenant)
        } catch {
            denials.record(reason: "origin_not_allowed", clientIP: clientIP, tenant: tenant.id)
            throw error
        }
        let byTenant = throttle.admitTenant(tenant.id)
        guard byTenant.allowed else { throw refuse(.tenant, byTenant, clientIP: clientIP, tenant: tenant.id) }
        let bySubject = throttle.admitEmail(subject, tenantID: tenant.id)
        guard bySubject.allowed else { throw refuse(.email, bySubject, clientIP: clientIP, tenant: tenant.id) }
        return tenant
    }

    private func refuse(_ scope: LoginThrottle.Scope, _ decision: RateLimiter.Decision, clientIP: String, tenant: String?) -> Problem {
        // The subject of a login is its email; of the other public routes, whatever they are about.
        let name = purpose == "login" || scope != .email ? scope.rawValue : "subject"
        denials.record(reason: purpose + "_limited_" + name, clientIP: clientIP, tenant: tenant)
        return Problem(.rateLimited, detail: limitedDetail, retryAfter: max(1, decision.retryAfterSeconds))
    }
}
