/// Every setting of `weavr-gateway serve`, with its default. Loaded by ``load(file:environment:flags:)``:
/// defaults, then one JSON file, then `WEAVR_GATEWAY_<SECTION>_<KEY>` environment variables, then
/// command-line flags (each wins over the one before). ``keys`` lists every key with its form and meaning.
///
/// Secrets are never configuration values: the master key comes from `GATEWAY_MASTER_KEY` or the file named
/// by `masterKeyFile`, admin tokens from `admin.tokensFile`, tenants' Weavr api-keys from `tenant add`.
public struct GatewayConfiguration: Sendable, Equatable {
    /// The public listener.
    public struct Listen: Sendable, Equatable {
        /// Address to listen on. Default `127.0.0.1`.
        public var host = "127.0.0.1"
        /// Port; 0 picks a free one. Default 8080.
        public var port = 8080
        /// Event-loop threads; nil = one per core. Default nil.
        public var threads: Int?
    }

    /// TLS for the public listener; both files or neither.
    public struct TLS: Sendable, Equatable {
        /// PEM certificate chain, leaf first. Default nil (plain HTTP).
        public var certificateFile: String?
        /// PEM private key of the leaf. Default nil.
        public var privateKeyFile: String?
        /// `Strict-Transport-Security: max-age` sent when TLS is on; 0 sends none. Default 1 year.
        public var hstsMaxAgeSeconds = 31_536_000
    }

    /// The SQLite database.
    public struct DatabaseSettings: Sendable, Equatable {
        /// Tenants, keys, sessions, audit in an SQLite file. Default nil: only `/healthz` is served
        /// (unless `url` is set).
        public var path: String?
        /// A `postgresql://` URL: the shared store of several instances. Its password only from the
        /// environment (`PGPASSWORD`, `PGPASSFILE`, or this URL in `WEAVR_GATEWAY_DATABASE_URL`).
        public var url: String?

        /// The URL when set, else the path: what `--db` and the commands take.
        public var location: String? { url ?? path }
    }

    /// The admin API listener.
    public struct Admin: Sendable, Equatable {
        /// Default `127.0.0.1` (keep it on loopback or a private network).
        public var host = "127.0.0.1"
        /// Default 9090; 0 picks a free one.
        public var port = 9090
        /// Admin bearer tokens, one `NAME sha256:HEX` per line. Default nil: the admin API is off.
        public var tokensFile: String?
    }

    /// Limits of the public listener (``HTTPServer/Configuration``).
    public struct Limits: Sendable, Equatable {
        /// Request body over this → 413. Default 1 MiB.
        public var maxBodyBytes = 1024 * 1024
        /// Header section over this → 431. Default 32 KiB.
        public var maxHeaderBytes = 32 * 1024
        /// More header fields than this → 431. Default 100.
        public var maxHeaderCount = 100
        /// Whole request head (and TLS handshake) deadline → 408. Default 10 s.
        public var headerTimeoutSeconds = 10
        /// Idle keep-alive connections close after this. Default 60 s.
        public var keepAliveTimeoutSeconds = 60
        /// Open connections in total; beyond → 503. Default 16,384.
        public var maxConnections = 16_384
        /// Open connections per client IP; beyond → 503. Default 1,024.
        public var maxConnectionsPerIP = 1_024
    }

    /// Session lifetimes.
    public struct Sessions: Sendable, Equatable {
        /// Idle timeout; at most 300 (Weavr's auth token dies after 5 minutes idle). Default 300.
        public var idleTimeoutSeconds = 300
        /// Absolute lifetime. Default 8 h.
        public var absoluteTimeoutSeconds = 8 * 3600
    }

    /// Default request rates (a tenant's own `rate.*` quotas win).
    public struct RateLimits: Sendable, Equatable {
        /// `/v1` requests per minute per tenant. Default 6,000.
        public var tenantPerMinute = 6_000
        /// `/v1` requests per minute per session. Default 600.
        public var sessionPerMinute = 600
        /// Login attempts per tenant + email per 30 minutes without a success. Default 4 (Weavr locks at 5).
        public var loginAttemptsPerEmail = 4
        /// Login attempts per client IP per minute. Default 30.
        public var loginPerClientIPPerMinute = 30
        /// Login attempts per tenant per minute. Default 600.
        public var loginPerTenantPerMinute = 600
    }

    /// Signed audit checkpoints (`AuditCheckpointer`).
    public struct Checkpoints: Sendable, Equatable {
        /// Rows between checkpoints. Default 1,000.
        public var everyRows = 1_000
        /// Seconds between checkpoints (when rows were added). Default 300.
        public var everySeconds = 300
        /// Origin line and key name. Default `weavr-gateway/audit`.
        public var origin = "weavr-gateway/audit"
        /// File sink directory. Default nil.
        public var directory: String?
        /// Webhook sink URL. Default empty (none).
        public var webhookURL = ""
        /// Ed25519 seed file. Default nil: derived from the master key.
        public var keyFile: String?
    }

    /// Weavr's webhooks and `/v1/events` (`WeavrEventSettings`).
    public struct Events: Sendable, Equatable {
        /// A webhook's `published-timestamp` may differ from the clock by this much, either way. Default 300.
        public var timestampWindowSeconds = 300
        /// Largest webhook body. Default 64 KiB.
        public var webhookBodyBytes = 64 * 1024
        /// Days events (and webhook receipts) are kept. Default 7.
        public var retentionDays = 7
        /// Heartbeat of an idle stream. Default 15.
        public var heartbeatSeconds = 15
        /// Open streams per session. Default 3.
        public var streamsPerSession = 3
        /// Open streams per tenant per instance. Default 1,000.
        public var streamsPerTenant = 1_000
        /// Events a stream may fall behind before it is dropped. Default 256.
        public var queueDepth = 256
    }

    public var listen = Listen()
    public var tls = TLS()
    public var database = DatabaseSettings()
    public var admin = Admin()
    /// File holding the 32-byte master key (base64 or raw, mode 0600). Default nil: `GATEWAY_MASTER_KEY`.
    public var masterKeyFile: String?
    public var limits = Limits()
    public var sessions = Sessions()
    public var rateLimits = RateLimits()
    public var events = Events()
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` name the client (addresses or CIDRs). Default none.
    public var trustedProxies: [String] = []
    /// Seconds in-flight requests get to finish on SIGTERM/SIGINT. Default 10.
    public var shutdownGraceSeconds = 10
    /// One line per request on standard error. Default false.
    public var accessLog = false
    public var checkpoints = Checkpoints()

    /// Where each key's value came from (`default`, `file`, the environment variable or the flag), by key path.
    public var origins: [String: String] = [:]

    public init() {}

    public static func == (lhs: GatewayConfiguration, rhs: GatewayConfiguration) -> Bool {
        keys.allSatisfy { $0.get(lhs) == $0.get(rhs) }
    }
}
