public import NIOFreeHTTP

extension GatewayConfiguration {
    /// `path = value  # origin` per key, for `config check` and the startup log. Configuration holds no
    /// secrets (only the paths of files that do), so nothing here needs hiding.
    public var effectiveDescription: String {
        let keys = Self.keys
        let width = keys.map(\.path.count).max() ?? 0
        return keys.map { key in
            let path = key.path.padding(toLength: width, withPad: " ", startingAt: 0)
            return "\(path) = \(key.get(self))  # \(origins[key.path] ?? "default")"
        }.joined(separator: "\n")
    }

    /// The README's reference table (Markdown): key, default, environment variable, SIGHUP, meaning.
    public static var referenceTable: String {
        var lines = ["| key | default | environment variable | SIGHUP | meaning |", "|---|---|---|---|---|"]
        for key in keys {
            let form = key.form.expectation
            lines.append("| `\(key.path)` | `\(key.defaultValue)` | `\(key.environmentName)` | \(key.reloadable ? "reloads" : "restart") | \(key.meaning) (\(form)) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The public listener's settings: address, TLS and every limit.
    public var httpServer: HTTPServer.Configuration {
        var server = HTTPServer.Configuration()
        server.host = listen.host
        server.port = listen.port
        if let certificate = tls.certificateFile, let key = tls.privateKeyFile {
            server.tls = .server(certificateChainFile: certificate, privateKeyFile: key)
        }
        server.maxBodyBytes = limits.maxBodyBytes
        server.maxHeaderBytes = limits.maxHeaderBytes
        server.maxHeaderCount = limits.maxHeaderCount
        server.headerTimeout = .seconds(limits.headerTimeoutSeconds)
        server.keepAliveTimeout = .seconds(limits.keepAliveTimeoutSeconds)
        server.maxConnections = limits.maxConnections
        server.maxConnectionsPerIP = limits.maxConnectionsPerIP
        return server
    }

    /// The `/v1` API's settings (rate limits).
    public var serviceSettings: GatewayServices.Settings {
        var settings = GatewayServices.Settings()
        settings.tenantRequestsPerMinute = rateLimits.tenantPerMinute
        settings.sessionRequestsPerMinute = rateLimits.sessionPerMinute
        settings.loginAttemptsPerEmail = rateLimits.loginAttemptsPerEmail
        settings.loginPerClientIPPerMinute = rateLimits.loginPerClientIPPerMinute
        settings.loginPerTenantPerMinute = rateLimits.loginPerTenantPerMinute
        if case .success(let proxies) = TrustedProxies.parse(trustedProxies) { settings.trustedProxies = proxies }
        settings.checkpoints.everyRows = checkpoints.everyRows
        settings.checkpoints.everySeconds = checkpoints.everySeconds
        settings.checkpoints.origin = checkpoints.origin
        settings.checkpoints.directory = checkpoints.directory
        settings.checkpoints.webhookURL = checkpoints.webhookURL
        settings.events.timestampWindow = .seconds(events.timestampWindowSeconds)
        settings.events.bodyLimit = events.webhookBodyBytes
        settings.events.retention = .seconds(events.retentionDays * 86_400)
        settings.events.heartbeatInterval = .seconds(events.heartbeatSeconds)
        settings.events.streamsPerSession = events.streamsPerSession
        settings.events.streamsPerTenant = events.streamsPerTenant
        settings.events.streamQueueDepth = events.queueDepth
        return settings
    }

    /// Keys whose value differs from `other`'s and that SIGHUP cannot apply (they need a restart).
    public func restartOnlyChanges(comparedTo other: GatewayConfiguration) -> [String] {
        Self.keys.filter { !$0.reloadable && $0.get(self) != $0.get(other) }.map(\.path)
    }
}
