import Auth
import NIOFreeHTTP
import Synchronization

/// Per-tenant and per-session request rates for `/v1` (GCRA, in memory), with the
/// draft-ietf-httpapi-ratelimit-headers-11 fields on every answer:
/// `RateLimit-Policy: "tenant";q=6000;w=60, "session";q=600;w=60` and `RateLimit: "session";r=598;t=1`
/// (the policy closest to its limit).
final class RequestRateLimits: Sendable {
    struct Decision {
        var allowed: Bool
        var retryAfter: Int
        /// The `RateLimit-Policy` and `RateLimit` values.
        var policy: String
        var limit: String
        /// The policy closest to (or over) its limit: `tenant` or `session`.
        var scope: String

        /// The two fields alone (a refusal's own answer).
        var headers: HTTPHeaders { ["ratelimit-policy": policy, "ratelimit": limit] }

        /// Puts the two fields on an answer, after a route's own of the same name (a daily quota's) in one
        /// field, without building a list of them first.
        func stamp(_ headers: inout HTTPHeaders) {
            Self.merge("ratelimit-policy", policy, into: &headers)
            Self.merge("ratelimit", limit, into: &headers)
        }

        private static func merge(_ name: String, _ value: String, into headers: inout HTTPHeaders) {
            if let own = headers[name] {
                headers.replaceOrAdd(name, value + ", " + own)
            } else {
                headers.add(name, value)
            }
        }
    }

    private let defaults: Mutex<(tenantPerMinute: Int, sessionPerMinute: Int)>
    /// A tenant's limiters at its current rates, with its `RateLimit-Policy` value (the same on every answer).
    private struct Limiters {
        var tenantRate: Int
        var sessionRate: Int
        var tenant: RateLimiter
        var sessions: RateLimiter
        var policy: String
    }

    private let limiters = Mutex<[String: Limiters]>([:])
    /// The buckets of every instance, in the shared database (PostgreSQL); nil: this process's memory.
    private let shared: SharedRateLimiter?

    init(tenantPerMinute: Int, sessionPerMinute: Int, shared: SharedRateLimiter? = nil) {
        defaults = Mutex((tenantPerMinute, sessionPerMinute))
        self.shared = shared
    }

    /// New defaults for tenants without their own `rate.*` quotas (a configuration reload). A tenant whose
    /// rate changes gets fresh limiters on its next request.
    func setDefaults(tenantPerMinute: Int, sessionPerMinute: Int) {
        defaults.withLock { $0 = (tenantPerMinute, sessionPerMinute) }
    }

    func check(tenant: Tenant, sid: String) async -> Decision {
        let (defaultTenantPerMinute, defaultSessionPerMinute) = defaults.withLock { $0 }
        let tenantRate = tenant.quotas["rate.tenant_per_minute"] ?? defaultTenantPerMinute
        let sessionRate = tenant.quotas["rate.session_per_minute"] ?? defaultSessionPerMinute
        let limiters = limiters.withLock { table in
            if let entry = table[tenant.id], entry.tenantRate == tenantRate, entry.sessionRate == sessionRate {
                return entry
            }
            let entry = Limiters(
                tenantRate: tenantRate, sessionRate: sessionRate,
                tenant: RateLimiter(rate: tenantRate, per: .seconds(60), burst: tenantRate),
                sessions: RateLimiter(rate: sessionRate, per: .seconds(60), burst: sessionRate),
                policy: "\"tenant\";q=\(tenantRate);w=60, \"session\";q=\(sessionRate);w=60"
            )
            table[tenant.id] = entry
            return entry
        }
        let (tenantLimiter, sessionLimiter) = (limiters.tenant, limiters.sessions)
        // A refused session request does not spend the tenant's budget.
        var decisions: (session: RateLimiter.Decision, tenant: RateLimiter.Decision?)?
        if let shared {
            // One bucket per key for all instances. If the database cannot be reached, this process's
            // own buckets decide (a limit per instance rather than none); the request itself then
            // meets the same database when it reads its session.
            let sessionLimit = SharedRateLimiter.Limit(key: "s:" + tenant.id + ":" + sid, rate: sessionRate, period: .seconds(60), burst: sessionRate)
            let tenantLimit = SharedRateLimiter.Limit(key: "t:" + tenant.id, rate: tenantRate, period: .seconds(60), burst: tenantRate)
            if let both = try? await shared.acquire(sessionLimit, then: tenantLimit) {
                decisions = (both.first, both.second)
            }
        }
        // Both limiters run on the same default clock: one reading serves both.
        let now = decisions == nil ? sessionLimiter.now() : 0
        let session = decisions?.session ?? sessionLimiter.acquire(sid, at: now)
        let tenantDecision = decisions.map(\.tenant) ?? (session.allowed ? tenantLimiter.acquire(tenant.id, at: now) : nil)
        let tightest: (name: String, decision: RateLimiter.Decision)
        if let tenantDecision, tenantDecision.remaining * sessionRate < session.remaining * tenantRate || !tenantDecision.allowed {
            tightest = ("tenant", tenantDecision)
        } else {
            tightest = ("session", session)
        }
        let limit = "\"\(tightest.name)\";r=\(tightest.decision.remaining);t=\(tightest.decision.resetSeconds)"
        let allowed = session.allowed && (tenantDecision?.allowed ?? false)
        let retryAfter = max(session.retryAfterSeconds, tenantDecision?.retryAfterSeconds ?? 0)
        return Decision(allowed: allowed, retryAfter: max(1, retryAfter), policy: limiters.policy, limit: limit, scope: tightest.name)
    }
}
