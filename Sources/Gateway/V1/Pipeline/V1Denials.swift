import Audit
import NIOFreeHTTP

/// Records a `/v1` refusal that says someone tried: a presented token that does not check out (401), a failed
/// CSRF or origin check, a missing step-up. Before a session is established these are only counted
/// (`DenialLedger`: one row per client IP, reason and minute); requests without any credential are not
/// recorded. A refusal of an authenticated session (step-up) is one `access.denied` row, awaited
/// (group-committed) but never changing the answer.
struct V1Denials: Sendable {
    /// Anonymous refusals are counted here.
    let ledger: DenialLedger
    let audit: AuditTrail

    func record(_ error: any Error, _ request: HTTPRequest, _ context: RequestContext, principal: AuthenticatedRequest?) async {
        guard let problem = error as? Problem else { return }
        let reason: String
        switch problem.code {
        case .unauthenticated:
            guard principal == nil, (try? SessionResolver.credential(request)) != nil else { return }
            reason = "invalid_session"
        case .csrfFailed: reason = "csrf_failed"
        case .forbidden where principal == nil: reason = "origin_not_allowed"
        case .stepUpRequired: reason = "step_up_required"
        default: return
        }
        guard let principal else {
            ledger.record(reason: reason, clientIP: audit.proxies.clientAddress(of: request))
            return
        }
        let details = AuditTrail.details(["reason": .string(reason), "method": .string(request.method), "route": .string(context.route ?? "-")])
        let entry = audit.entry(
            request, context, .accessDenied, tenant: principal.tenant.id, actor: principal.session.userID,
            sessionID: principal.session.sid, target: request.pathParameters["id"], outcome: .denied,
            httpStatus: problem.code.status, details: details
        )
        await audit.record([entry])
    }
}
