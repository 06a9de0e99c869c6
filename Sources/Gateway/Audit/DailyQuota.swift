import Audit
import Auth
import NIOFreeHTTP

/// A tenant's daily quota for one operation, and its draft-ietf-httpapi-ratelimit-headers-11 fields:
/// `RateLimit-Policy: "cards.block";q=1000;w=86400` and `RateLimit: "cards.block";r=999;t=41234`.
struct DailyQuota: Sendable {
    var operation: QuotaOperation
    var limit: Int

    /// The tenant's configured limit, else the default (`Tenant.defaultQuotas`); `nil` when neither has one.
    init?(_ operation: QuotaOperation, tenant: Tenant) {
        guard let limit = tenant.quotas[operation.rawValue] ?? Tenant.defaultQuotas[operation.rawValue] else { return nil }
        self.operation = operation
        self.limit = max(0, limit)
    }

    /// Seconds from `now` (ms) until the decision's reset (next UTC midnight), at least 1.
    static func secondsUntilReset(_ decision: QuotaDecision, now: Int64) -> Int {
        max(1, Int((decision.resetAt - now + 999) / 1000))
    }

    /// The two fields for `decision`, taken at `now` (ms).
    func headers(_ decision: QuotaDecision, now: Int64) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add("ratelimit-policy", "\"\(operation.rawValue)\";q=\(limit);w=86400")
        headers.add("ratelimit", "\"\(operation.rawValue)\";r=\(decision.remaining);t=\(Self.secondsUntilReset(decision, now: now))")
        return headers
    }
}
