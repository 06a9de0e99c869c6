public import Audit
public import Auth
public import GatewayCore
public import Logging
public import NIOFreeHTTP
public import Storage
import Synchronization
public import Upstream

/// Everything the `/v1` handlers share: stores, keys, the Weavr clients, limits and the clock.
public final class GatewayServices: Sendable {
    /// Settings of the public API.
    public struct Settings: Sendable {
        /// The `aud` of session tokens. Default "weavr-gateway".
        public var audience = "weavr-gateway"
        /// Login attempts per tenant + email per 30 minutes without a success (below Weavr's lockout). Default 4.
        public var loginAttemptsPerEmail = 4
        /// Login attempts per client IP per minute. Default 30.
        public var loginPerClientIPPerMinute = 30
        /// Login attempts per tenant per minute (all clients together). Default 600.
        public var loginPerTenantPerMinute = 600
        /// Proxies whose `Forwarded` / `X-Forwarded-For` name the client. Default none.
        public var trustedProxies = TrustedProxies.none
        /// `/v1` requests per minute for a whole tenant, unless the tenant sets `rate.tenant_per_minute`. Default 6,000.
        public var tenantRequestsPerMinute = 6_000
        /// `/v1` requests per minute for one session, unless the tenant sets `rate.session_per_minute`. Default 600.
        public var sessionRequestsPerMinute = 600
        /// Weavr client settings (deadlines, retries) for every tenant.
        public var weavr = WeavrClient.Configuration()
        /// `/readyz` reports `database: full` / `unwritable` for this long after a write was refused for that
        /// reason, even when its own heartbeat write fits. Default 10 s.
        public var readinessFailureWindow: Duration = .seconds(10)
        /// Where refused writes are logged (`RefusedWriteLog`: warning, one line per reason per 10 s). Default
        /// the process's logging system, label `storage`.
        public var storageLogger = Logger(label: "storage")
        /// At most one "storage write refused" line per reason this often (with the count it stands for).
        public var refusedWriteLogInterval: Duration = .seconds(10)
        /// How long the separate Weavr session of a card reveal lives before it is logged out at Weavr
        /// (`POST /v1/cards/{id}/reveal`). Default 5 minutes.
        public var revealLifetime: Duration = .seconds(300)
        /// Signed audit checkpoints: cadence, origin, file sink (`AuditCheckpointer`).
        public var checkpoints = AuditCheckpointer.Settings()
        /// The checkpoint signing key's 32-byte seed from `checkpoints.keyFile`; nil derives it from the master
        /// key (HKDF purpose `audit-checkpoint`).
        public var checkpointKeySeed: [UInt8]?
        /// Weavr's webhooks and `/v1/events`: timestamp window, body limit, retention, stream limits.
        public var events = WeavrEventSettings()
        /// False runs `/v1` mutations with no quota, no `Idempotency-Key` handling and no audit rows: only for
        /// `bench/audited-block-bench`, which measures what auditing costs by comparing the same path without it.
        /// `package` access: no configuration key, flag or environment variable reaches it, so no gateway that
        /// `weavr-gateway` starts can run unaudited.
        package var auditsMutations = true

        public init() {}
    }

    public let settings: Settings
    public let database: Database
    /// Tenants, cached for a moment in memory (`CachedTenantStore`).
    public let tenants: CachedTenantStore
    public let sessions: any SessionStore
    public let keyRing: KeyRing
    /// The tamper-evident audit log (same database; group commit shares fsyncs across requests).
    public let audit: any AuditLog
    /// Durable daily operation quotas per tenant.
    public let quotas: any QuotaLedger
    /// An audited mutation's quota charges and intent row, written in one commit (same database).
    let journal: any MutationJournal
    /// The signing keys' store (listing for the admin API).
    public let keyStore: any KeyRingStore
    /// The first response of each `Idempotency-Key`, for 24 h.
    let idempotency: any IdempotencyStore
    public let authenticator: SessionAuthenticator
    /// Prometheus metrics (`/metrics` on the admin listener); Weavr calls and database commits report here.
    public let metrics: GatewayMetrics
    /// Anonymous refusals, counted and written to the audit log one row per client IP, reason and minute.
    public let denials: DenialLedger
    /// Tenant and signing-key changes by any writer of the database: cached tenants are dropped and the key
    /// ring reloaded (`start()` it in a running gateway; tests call `check()`).
    public let storeChanges: StoreChangeWatcher
    public let clock: any WallClock
    /// Signed checkpoints of the audit chain (started with the background tasks).
    public let checkpoints: AuditCheckpointer
    /// CSRF tokens of cookie sessions (the CSRF subkey).
    let csrf: CSRFTokens
    /// `idempotency-ref`s and request fingerprints, under their own HKDF purpose.
    let idempotencyKeys: IdempotencyKeys
    /// Weavr clients per tenant and Weavr tokens per session.
    let weavrAccess: WeavrAccess
    /// Login attempts per client IP, tenant and tenant + email.
    let loginThrottle: LoginThrottle
    let requestRates: RequestRateLimits
    /// The separate Weavr sessions of card reveals, until they are logged out (`RevealReaper`).
    let revealSessions: RevealSessions
    /// Which identity owns which card, for routing Weavr's card webhooks that name no owner.
    let cardOwners: CardOwners
    /// Weavr's webhooks taken in: receipts, the event log and the `/v1/events` fan-out.
    let weavrEvents: WeavrEvents
    /// Whose `Forwarded` / `X-Forwarded-For` is believed (`ClientAddress`).
    var trustedProxies: TrustedProxies { settings.trustedProxies }

    /// Opens the services over an open database (migrated), with keys derived from `masterKey`.
    public init(
        database: Database, masterKey: MasterKey, http: HTTPClient,
        settings: Settings = Settings(), clock: any WallClock = SystemWallClock(),
        sessionLifetime: SessionLifetime = SessionLifetime()
    ) async throws {
        self.settings = settings
        self.database = database
        let refusedWrites = RefusedWriteLog(logger: settings.storageLogger, interval: settings.refusedWriteLogInterval)
        database.observeWriteFailures { refusedWrites.record($0) }
        self.clock = clock
        let box = SecretBox(masterKey: masterKey)
        tenants = CachedTenantStore(SQLTenantStore(database: database, secretBox: box, clock: clock), clock: clock)
        let sqlSessions = SQLSessionStore(database: database, secretBox: box, lifetime: sessionLifetime, clock: clock)
        // On SQLite this process is the only one that writes sessions (ServeLock), so an in-memory copy is
        // exact; on PostgreSQL other instances revoke too, so every request reads the row.
        let sessionCache = database.dialect == .sqlite ? CachedSessionStore(sqlSessions, clock: clock) : nil
        // On PostgreSQL, reads that wait at the same time share one query (still one read per request).
        sessions = sessionCache ?? BatchedSessionReads(sqlSessions, maxInFlight: database.readerCount)
        audit = SQLAuditLog(database: database, clock: clock)
        quotas = SQLQuotaLedger(database: database, clock: clock)
        journal = SQLMutationJournal(database: database, clock: clock)
        keyStore = SQLKeyRingStore(database: database, masterKey: masterKey, clock: clock)
        idempotency = SQLIdempotencyStore(database: database, clock: clock)
        revealSessions = RevealSessions(database: database, secretBox: box, clock: clock)
        cardOwners = CardOwners(database: database, clock: clock)
        _ = try await keyStore.ensureActiveKey()
        let keyRing = try await KeyRing(store: keyStore)
        self.keyRing = keyRing
        let tenants = self.tenants
        storeChanges = await StoreChangeWatcher(database: database) {
            tenants.invalidateAll()
            // `tenant remove` (another process) deletes the tenant's sessions.
            sessionCache?.forgetAll()
            try? await keyRing.reload()
        }
        authenticator = SessionAuthenticator(keyRing: keyRing, sessions: sessions, clock: clock)
        csrf = CSRFTokens(key: masterKey.subkey(for: .csrf))
        let checkpointSeed = settings.checkpointKeySeed ?? masterKey.subkey(for: .auditCheckpoint).withUnsafeBytes { Array($0) }
        checkpoints = AuditCheckpointer(
            store: AuditCheckpointStore(database: database),
            signer: try AuditCheckpointSigner(keyName: settings.checkpoints.origin, seed: checkpointSeed),
            settings: settings.checkpoints, clock: clock, http: http
        )
        idempotencyKeys = IdempotencyKeys(key: masterKey.subkey(for: .idempotency))
        let breakers = CircuitBreakerRegistry()
        let metrics = GatewayMetrics(database: database) {
            breakers.all.mapValues { ($0.state, $0.timesOpened) }
        }
        self.metrics = metrics
        denials = DenialLedger(audit: audit, metrics: metrics, clock: clock)
        var weavrConfiguration = settings.weavr
        let observer = weavrConfiguration.observer
        weavrConfiguration.observer = { observation in
            metrics.recordUpstream(observation)
            RequestObservation.current?.addUpstream(nanoseconds: UInt64(max(0, observation.duration.seconds * 1e9)))
            observer?(observation)
        }
        weavrAccess = WeavrAccess(
            tenants: tenants, sessions: sessions,
            clients: WeavrClientCache(http: http, configuration: weavrConfiguration, breakers: breakers), clock: clock
        )
        requestRates = RequestRateLimits(
            tenantPerMinute: settings.tenantRequestsPerMinute, sessionPerMinute: settings.sessionRequestsPerMinute,
            shared: database.dialect == .postgres ? SharedRateLimiter(database: database) : nil
        )
        loginThrottle = LoginThrottle(Self.loginSettings(settings))
        weavrEvents = try await WeavrEvents(database: database, clock: clock, settings: settings.events)
    }

    private static func loginSettings(_ settings: Settings) -> LoginThrottle.Settings {
        LoginThrottle.Settings(
            attemptsPerEmail: settings.loginAttemptsPerEmail, perClientIPPerMinute: settings.loginPerClientIPPerMinute,
            perTenantPerMinute: settings.loginPerTenantPerMinute
        )
    }

    /// Applies new default rate limits and login limits (SIGHUP). Tenants with their own `rate.*` quotas keep them.
    public func reloadRateLimits(_ next: Settings) {
        requestRates.setDefaults(tenantPerMinute: next.tenantRequestsPerMinute, sessionPerMinute: next.sessionRequestsPerMinute)
        loginThrottle.update(Self.loginSettings(next))
    }

    /// Ends every open `/v1/events` stream (shutdown: streams do not end by themselves).
    public func endEventStreams() {
        weavrEvents.hub.dropAll()
    }

    /// Starts what a running gateway does in the background: watching the database for tenant and key
    /// changes by other writers, writing the counted access denials, and logging out expired card-reveal
    /// sessions at Weavr, and signing audit checkpoints. Cancel the tasks to stop.
    @discardableResult
    public func startBackgroundTasks() -> [Task<Void, Never>] {
        [storeChanges.start(), denials.start(), RevealReaper.start(services: self), checkpoints.start()] + weavrEvents.start()
    }
}
