/// A frontend team's configuration: who they are, which Weavr environment they use, and
/// what they may do.
///
/// The tenant's Weavr api-key is deliberately not a property: it is written once through
/// `TenantStore` (encrypted at rest) and read back only with `TenantStore.weavrAPIKey(for:)`,
/// so it can never reach a `description`, a log line or JSON made from a `Tenant`.
public struct Tenant: Sendable, Hashable, Codable {
    /// The slug, `^[a-z0-9][a-z0-9-]{1,62}$`.
    public var id: String
    /// Display name, 1–200 characters, no control characters.
    public var name: String
    /// Suspended tenants are refused by the gateway.
    public var status: Status
    /// The Weavr Multi API base URL (`http` or `https`, no credentials, query or fragment).
    public var weavrBaseURL: String
    /// Weavr card profile ids per card mode and currency.
    public var cardProfiles: CardProfiles
    /// Exact CORS origins, `scheme://host[:port]` (RFC 6454 §6.2 serialization).
    public var allowedOrigins: [String]
    /// How frontends hold sessions: a cookie, a bearer token, or either.
    public var sessionModes: Set<SessionMode>
    /// Daily operation limits by operation name (see `Tenant.quotaOperations`).
    public var quotas: [String: Int]
    /// When the tenant was created (ms since the Unix epoch); set by the store.
    public var createdAt: Int64
    /// When the tenant last changed (ms since the Unix epoch); set by the store.
    public var updatedAt: Int64

    /// The counted operations that have daily quotas. Money quotas are `money.<CUR>` (`isMoneyQuota`): the
    /// minor units of one currency the tenant's users may move per UTC day; none unless configured.
    public static let quotaOperations = ["cards.issue", "cards.block", "cards.unblock", "cards.destroy", "bulk.operations", "transfers.create", "cards.reveal"]
    /// The largest money quota: 10^15 minor units.
    public static let maxMoneyQuota = 1_000_000_000_000_000

    /// `money.` and three upper-case letters (an ISO 4217 code).
    public static func isMoneyQuota(_ key: String) -> Bool {
        guard key.hasPrefix("money.") else { return false }
        let code = key.utf8.dropFirst(6)
        return code.count == 3 && code.allSatisfy { (0x41...0x5A).contains($0) }
    }
    /// Optional request-rate overrides (requests per minute) kept with the quotas: for the whole tenant and
    /// for each session. Absent keys use the gateway's defaults.
    public static let rateLimitKeys = ["rate.tenant_per_minute", "rate.session_per_minute"]

    /// The daily limits a tenant gets unless configured otherwise. Each lets the documented maximum of one
    /// request through several times a day: `bulk.operations` counts bulk items, and one bulk may hold 10,000
    /// (Weavr's limit), so its default is five full-size bulks a day.
    public static let defaultQuotas: [String: Int] = [
        "cards.issue": 1_000,
        "cards.block": 1_000,
        "cards.unblock": 1_000,
        "cards.destroy": 200,
        "bulk.operations": 50_000,
        "transfers.create": 1_000,
        // Off unless the tenant opts in (README, "Revealing card details").
        "cards.reveal": 0,
    ]

    /// Creates a tenant; `quotas` are merged over `defaultQuotas`. Call `validate()` (the
    /// store does) before trusting the values.
    public init(
        id: String,
        name: String,
        status: Status = .active,
        weavrBaseURL: String,
        cardProfiles: CardProfiles = CardProfiles(),
        allowedOrigins: [String] = [],
        sessionModes: Set<SessionMode> = [.cookie, .bearer],
        quotas: [String: Int] = [:],
        createdAt: Int64 = 0,
        updatedAt: Int64 = 0
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.weavrBaseURL = weavrBaseURL
        self.cardProfiles = cardProfiles
        self.allowedOrigins = allowedOrigins
        self.sessionModes = sessionModes
        self.quotas = Self.defaultQuotas.merging(quotas) { _, configured in configured }
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
