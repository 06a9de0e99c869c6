extension GatewayConfiguration {
    /// Every key, in file order. The README's "Configuration reference" is `weavr-gateway config reference`.
    public static var keys: [ConfigurationKey] {
        [
            .string("listen.host", \.listen.host, reloadable: false, "Address of the public listener."),
            .integer("listen.port", \.listen.port, 0...65535, reloadable: false, "Port of the public listener (0 picks a free one and prints it)."),
            .optionalInteger("listen.threads", \.listen.threads, 1...256, reloadable: false, "Event-loop threads; null = one per core."),
            .path("tls.certificateFile", \.tls.certificateFile, reloadable: true, "PEM certificate chain, leaf first; with `tls.privateKeyFile` turns on TLS. SIGHUP re-reads the files."),
            .path("tls.privateKeyFile", \.tls.privateKeyFile, reloadable: true, "PEM private key of the leaf certificate (mode 0600)."),
            .integer("tls.hstsMaxAgeSeconds", \.tls.hstsMaxAgeSeconds, 0...63_072_000, reloadable: false, "`Strict-Transport-Security: max-age` on every response when TLS is on; 0 sends none."),
            .path("database.path", \.database.path, reloadable: false, "SQLite database (tenants, keys, sessions, audit); null serves `/healthz` only unless `database.url` is set."),
            .databaseURL("database.url", \.database.url, "PostgreSQL `postgresql://user@host:port/db?sslmode=verify-full` shared by several instances (instead of `database.path`); the password only from `PGPASSWORD`, `PGPASSFILE` or this URL in `WEAVR_GATEWAY_DATABASE_URL`, never the file or a flag."),
            .string("admin.host", \.admin.host, reloadable: false, "Address of the admin API listener (keep it on loopback or a private network)."),
            .integer("admin.port", \.admin.port, 0...65535, reloadable: false, "Port of the admin API listener."),
            .path("admin.tokensFile", \.admin.tokensFile, reloadable: false, "Admin bearer tokens, one `NAME sha256:HEX` per line (`weavr-gateway admin-token NAME`); null turns the admin API off. Needs `database.path`."),
            .path("masterKeyFile", \.masterKeyFile, reloadable: false, "File holding the 32-byte master key (base64 or raw, mode 0600); null reads `GATEWAY_MASTER_KEY`."),
            .integer("limits.maxBodyBytes", \.limits.maxBodyBytes, 0...(1 << 30), reloadable: true, "Request body over this → 413."),
            .integer("limits.maxHeaderBytes", \.limits.maxHeaderBytes, 1024...(1 << 20), reloadable: true, "Request header section over this → 431."),
            .integer("limits.maxHeaderCount", \.limits.maxHeaderCount, 1...10_000, reloadable: true, "More header fields than this → 431."),
            .integer("limits.headerTimeoutSeconds", \.limits.headerTimeoutSeconds, 1...3600, reloadable: true, "The whole request head (and the TLS handshake) must arrive within this → else 408."),
            .integer("limits.keepAliveTimeoutSeconds", \.limits.keepAliveTimeoutSeconds, 1...86_400, reloadable: true, "Idle keep-alive connections are closed after this."),
            .integer("limits.maxConnections", \.limits.maxConnections, 1...1_000_000, reloadable: true, "Open connections in total; beyond it → 503."),
            .integer("limits.maxConnectionsPerIP", \.limits.maxConnectionsPerIP, 1...1_000_000, reloadable: true, "Open connections from one IP address; beyond it → 503."),
            .integer("sessions.idleTimeoutSeconds", \.sessions.idleTimeoutSeconds, 1...300, reloadable: false, "Session idle timeout; at most 300 (Weavr's auth token dies after 5 minutes idle)."),
            .integer("sessions.absoluteTimeoutSeconds", \.sessions.absoluteTimeoutSeconds, 1...(30 * 86_400), reloadable: false, "Session absolute lifetime; at least `sessions.idleTimeoutSeconds`."),
            .integer("rateLimits.tenantPerMinute", \.rateLimits.tenantPerMinute, 1...10_000_000, reloadable: true, "`/v1` requests per minute per tenant (a tenant's `rate.tenant_per_minute` quota wins)."),
            .integer("rateLimits.sessionPerMinute", \.rateLimits.sessionPerMinute, 1...10_000_000, reloadable: true, "`/v1` requests per minute per session (a tenant's `rate.session_per_minute` quota wins)."),
            .integer("rateLimits.loginAttemptsPerEmail", \.rateLimits.loginAttemptsPerEmail, 1...100, reloadable: true, "Login attempts per tenant + email per 30 minutes without a success; keep it below Weavr's lockout (5 failed logins)."),
            .integer("rateLimits.loginPerClientIPPerMinute", \.rateLimits.loginPerClientIPPerMinute, 1...1_000_000, reloadable: true, "Login attempts per client IP per minute (all tenants and emails)."),
            .integer("rateLimits.loginPerTenantPerMinute", \.rateLimits.loginPerTenantPerMinute, 1...10_000_000, reloadable: true, "Login attempts per tenant per minute (all clients): keeps logins from using up the programme's Weavr rate limit."),
            .addressList("trustedProxies", \.trustedProxies, reloadable: false, "Reverse proxies (addresses or CIDRs) whose `Forwarded` / `X-Forwarded-For` name the client; empty = the socket peer is the client."),
            .integer("shutdownGraceSeconds", \.shutdownGraceSeconds, 0...3600, reloadable: true, "On SIGTERM/SIGINT, seconds in-flight requests get to finish before the process exits."),
            .boolean("accessLog", \.accessLog, reloadable: true, "One line per request on standard error."),
        ]
    }
}
