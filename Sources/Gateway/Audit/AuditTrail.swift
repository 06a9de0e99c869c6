import Audit
import Auth
import GatewayCore
#if canImport(Glibc)
import Glibc
#endif
import NIOFreeHTTP

/// Writes the `/v1` audit rows (docs/ARCHITECTURE.md "Quotas and audit"): auth events, card and bulk mutations (intent
/// before Weavr, outcome after, with the daily quota in front), quota and access denials. Reads write nothing.
///
/// Rows never hold secrets: the session id only as its hash (`AuditEntry`), no tokens, api-keys, passwords
/// or card numbers (`AuditDetails` refuses them), a failed login's email only as a SHA-256 hash.
struct AuditTrail: Sendable {
    /// The audit log rows go to.
    let log: any AuditLog
    /// Daily quotas: given back when Weavr refused an audited mutation.
    let quotas: any QuotaLedger
    /// An audited mutation's quota charges and intent row, in one commit.
    let journal: any MutationJournal
    let metrics: GatewayMetrics
    let clock: any WallClock
    /// Whose `X-Forwarded-For` names the client in a row's `client_ip`.
    let proxies: TrustedProxies
    /// `GatewayServices.Settings.auditsMutations` (false only in the audited-block benchmark).
    let enabled: Bool

    init(services: GatewayServices) {
        enabled = services.settings.auditsMutations
        log = services.audit
        quotas = services.quotas
        journal = services.journal
        metrics = services.metrics
        clock = services.clock
        proxies = services.trustedProxies
    }

    /// A row about an authenticated call: tenant, the session's user as actor, session hash, request id,
    /// client IP and user agent filled in from `call`.
    func entry(
        _ call: V1Call, _ action: AuditAction, target: String?, outcome: AuditOutcome, httpStatus: Int? = nil,
        upstreamStatus: Int? = nil, upstreamRequestRef: String? = nil, details: AuditDetails = .empty
    ) -> AuditEntry {
        AuditEntry(
            tenant: call.auth.tenant.id, actor: call.auth.session.userID, sessionID: call.auth.session.sid,
            action: action, target: target, outcome: outcome, httpStatus: httpStatus, upstreamStatus: upstreamStatus,
            upstreamRequestRef: upstreamRequestRef, requestID: call.requestID, clientIP: proxies.clientAddress(of: call.request),
            userAgent: call.request.headers["user-agent"], details: details
        )
    }

    /// A row about a request without a (valid) session: `actor` is `unknown` unless given.
    func entry(
        _ request: HTTPRequest, _ context: RequestContext, _ action: AuditAction, tenant: String?, actor: String = "unknown",
        sessionID: String? = nil, target: String? = nil, outcome: AuditOutcome, httpStatus: Int? = nil,
        upstreamStatus: Int? = nil, upstreamRequestRef: String? = nil, details: AuditDetails = .empty
    ) -> AuditEntry {
        AuditEntry(
            tenant: tenant, actor: actor, sessionID: sessionID, action: action, target: target, outcome: outcome,
            httpStatus: httpStatus, upstreamStatus: upstreamStatus, upstreamRequestRef: upstreamRequestRef,
            requestID: context.requestID, clientIP: proxies.clientAddress(of: request), userAgent: request.headers["user-agent"], details: details
        )
    }

    /// Appends `entries` durably; a failure is reported on standard error and swallowed. For rows whose loss
    /// must not change the answer (denials, outcomes after Weavr acted, logouts).
    func record(_ entries: [AuditEntry]) async {
        do {
            try await log.append(entries)
        } catch {
            Self.report("audit append failed (\(entries.first?.action.rawValue ?? "-"), request \(entries.first?.requestID ?? "-")): \(error)")
        }
    }

    /// Details built from fixed, server-chosen keys. A value `AuditDetails` refuses drops that field only, and
    /// `withheld` names it: Weavr's 18-digit ids can pass the Luhn check, so ids go in `target`, never here.
    static func details(_ fields: [String: AuditDetails.Value]) -> AuditDetails {
        if let details = try? AuditDetails(fields) { return details }
        var kept: [String: AuditDetails.Value] = [:]
        var withheld: [String] = []
        for (key, value) in fields {
            if (try? AuditDetails([key: value])) != nil { kept[key] = value } else { withheld.append(key) }
        }
        kept["withheld"] = .string(withheld.sorted().joined(separator: ","))
        return (try? AuditDetails(kept)) ?? AuditDetails.empty
    }

    /// One line on standard error (the gateway has no logger yet); never holds request data beyond ids.
    static func report(_ message: String) {
        var line = "weavr-gateway: " + message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
