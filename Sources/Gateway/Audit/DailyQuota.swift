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

    /// This quota's `RateLimit-Policy` item.
    var policy: String { "\"\(operation.rawValue)\";q=\(limit);w=86400" }

    /// This quota's `RateLimit` item for `decision`, taken at `now` (ms).
    func remaining(_ decision: QuotaDecision, now: Int64) -> String {
        "\"\(operation.rawValue)\";r=\(decision.remaining);t=\(Self.secondsUntilReset(decision, now: now))"
    }

    /// The two fields for `decision`, taken at `now` (ms).
    func headers(_ decision: QuotaDecision, now: Int64) -> HTTPHeaders {
        Self.headers(policies: [policy], remaining: [remaining(decision, now: now)])
    }

    /// The two fields for several quotas at once (a transfer's count and its money); none when empty.
    static func headers(policies: [String], remaining: [String]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        guard !policies.isEmpty else { return headers }
        headers.add("ratelimit-policy", policies.joined(separator: ", "))
        headers.add("ratelimit", remaining.joined(separator: ", "))
        return headers
    }
}

/// What one request takes from one daily quota.
struct QuotaCharge: Sendable {
    var operation: QuotaOperation
    var units: Int
}
