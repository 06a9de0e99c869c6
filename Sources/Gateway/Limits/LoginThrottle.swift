import Synchronization

/// The login limits, checked before Weavr is asked (README "Login throttling"):
/// - per client IP (`perClientIPPerMinute`, GCRA): one address cannot spray emails or tenants;
/// - per tenant (`perTenantPerMinute`, GCRA): many addresses together cannot use up the programme's Weavr
///   rate limit, which every logged-in user of the tenant shares;
/// - per tenant + email (`attemptsPerEmail` per 30 minutes without a success, ``ConsecutiveAttemptLimiter``):
///   below Weavr's lockout after 5 failed consecutive logins, so nobody can lock a user out through the gateway.
///
/// The tenant's existence is checked before its keys are made, and every table is bounded without locking
/// anybody out when full.
final class LoginThrottle: Sendable {
    /// The limits; defaults are documented in the configuration reference.
    struct Settings: Sendable, Equatable {
        var attemptsPerEmail = 4
        var perClientIPPerMinute = 30
        var perTenantPerMinute = 600
    }

    /// Which limit refused an attempt.
    enum Scope: String, Sendable {
        case clientIP = "client_ip"
        case tenant
        case email
    }

    /// Weavr's lockout lasts 30 minutes: an email's attempts are counted over the same span.
    static let emailQuietPeriod = Duration.seconds(1800)

    private struct Limiters {
        var settings: Settings
        var perClientIP: RateLimiter
        var perTenant: RateLimiter
        var perEmail: ConsecutiveAttemptLimiter
    }

    private let clock: @Sendable () -> UInt64
    private let limiters: Mutex<Limiters>

    init(_ settings: Settings, clock: @escaping @Sendable () -> UInt64 = { DispatchFreeClock.nowNanoseconds() }) {
        self.clock = clock
        limiters = Mutex(Self.make(settings, clock: clock))
    }

    private static func make(_ settings: Settings, clock: @escaping @Sendable () -> UInt64) -> Limiters {
        Limiters(
            settings: settings,
            perClientIP: RateLimiter(rate: settings.perClientIPPerMinute, per: .seconds(60), burst: settings.perClientIPPerMinute, clock: clock),
            perTenant: RateLimiter(rate: settings.perTenantPerMinute, per: .seconds(60), burst: settings.perTenantPerMinute, clock: clock),
            perEmail: ConsecutiveAttemptLimiter(maxAttempts: settings.attemptsPerEmail, quietPeriod: emailQuietPeriod, clock: clock)
        )
    }

    /// New limits (SIGHUP); a limit whose value changed starts counting afresh.
    func update(_ settings: Settings) {
        let clock = self.clock
        limiters.withLock { current in
            guard current.settings != settings else { return }
            let fresh = Self.make(settings, clock: clock)
            if current.settings.perClientIPPerMinute != settings.perClientIPPerMinute { current.perClientIP = fresh.perClientIP }
            if current.settings.perTenantPerMinute != settings.perTenantPerMinute { current.perTenant = fresh.perTenant }
            if current.settings.attemptsPerEmail != settings.attemptsPerEmail { current.perEmail = fresh.perEmail }
            current.settings = settings
        }
    }

    var settings: Settings { limiters.withLock { $0.settings } }

    /// Counts an attempt from `clientIP` (before anything else is looked at).
    func admitClientIP(_ clientIP: String) -> RateLimiter.Decision {
        limiters.withLock { $0.perClientIP }.acquire(clientIP)
    }

    /// Counts an attempt for an existing, active tenant.
    func admitTenant(_ tenantID: String) -> RateLimiter.Decision {
        limiters.withLock { $0.perTenant }.acquire(tenantID)
    }

    /// Counts an attempt for an email of an existing tenant.
    func admitEmail(_ email: String, tenantID: String) -> RateLimiter.Decision {
        limiters.withLock { $0.perEmail }.acquire(Self.emailKey(email, tenantID: tenantID))
    }

    /// A successful login: the email's count starts over.
    func succeeded(_ email: String, tenantID: String) {
        limiters.withLock { $0.perEmail }.reset(Self.emailKey(email, tenantID: tenantID))
    }

    /// Tenant + email keys tracked now.
    var trackedEmailKeys: Int { limiters.withLock { $0.perEmail }.trackedKeys }

    private static func emailKey(_ email: String, tenantID: String) -> String {
        tenantID + "\u{1F}" + email.lowercased()
    }
}
