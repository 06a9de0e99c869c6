import ArgumentParser
import Auth
import Foundation
import Gateway
import Glibc
import NIOFreeHTTP
import Storage
import Synchronization

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway's public listener (and the admin API with admin.tokensFile).",
        discussion: """
            Settings come from defaults, then --config FILE (JSON), then WEAVR_GATEWAY_<SECTION>_<KEY> environment \
            variables, then the flags below (each wins over the one before); `weavr-gateway config reference` lists \
            every key. SIGTERM/SIGINT drain (in-flight requests finish within shutdownGraceSeconds, then exit 0). \
            SIGHUP re-reads the configuration and applies limits, rate limits, login limits, accessLog, \
            shutdownGraceSeconds and the TLS certificate (new connections; open ones keep theirs), re-reads the admin \
            tokens file, drops cached tenants and reloads the signing keys; address, database, admin listener, \
            trustedProxies and session settings need a restart. Tenant and key changes made by the `tenant` and \
            `keys` commands need no SIGHUP: they are in force within 1 s.
            """
    )

    @Option(help: "JSON configuration file; environment variables and flags override it.")
    var config: String?

    @Option(help: "Address to listen on (listen.host; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (listen.port; default 8080; 0 picks a free port and prints it).")
    var port: Int?

    @Option(help: "PEM certificate chain; enables TLS together with --tls-key (tls.certificateFile).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert (tls.privateKeyFile).")
    var tlsKey: String?

    @Option(help: "Event-loop threads (listen.threads; default: one per core).")
    var threads: Int?

    @Option(help: "Seconds to let in-flight requests finish on SIGTERM/SIGINT (shutdownGraceSeconds; default 10).")
    var shutdownGrace: Int?

    @Flag(inversion: .prefixedNo, help: "Print one line per request to standard error (accessLog; default off).")
    var accessLog: Bool?

    @Option(help: "SQLite database file (database.path) or postgresql:// URL without password (database.url). Without either only /healthz is served.")
    var db: String?

    @Option(help: "File holding the 32-byte master key (masterKeyFile; base64 or raw, mode 0600). Default: $GATEWAY_MASTER_KEY.")
    var masterKeyFile: String?

    @Option(help: "Admin bearer tokens, one `NAME sha256:HEX` per line (admin.tokensFile; make one with `weavr-gateway admin-token NAME`). Without it the admin API is off.")
    var adminTokens: String?

    @Option(help: "Address of the admin API listener (admin.host; default 127.0.0.1).")
    var adminHost: String?

    @Option(help: "Port of the admin API listener (admin.port; default 9090; 0 picks a free one).")
    var adminPort: Int?

    /// The flags given, as configuration overrides.
    var flagOverrides: [GatewayConfiguration.FlagOverride] {
        let flags: [(String, String, String?)] = [
            ("--host", "listen.host", host), ("--port", "listen.port", port.map(String.init)),
            ("--threads", "listen.threads", threads.map(String.init)),
            ("--tls-cert", "tls.certificateFile", tlsCert), ("--tls-key", "tls.privateKeyFile", tlsKey),
            ("--db", db.map { Database.isPostgresURL($0) } == true ? "database.url" : "database.path", db), ("--master-key-file", "masterKeyFile", masterKeyFile),
            ("--admin-tokens", "admin.tokensFile", adminTokens), ("--admin-host", "admin.host", adminHost),
            ("--admin-port", "admin.port", adminPort.map(String.init)),
            ("--shutdown-grace", "shutdownGraceSeconds", shutdownGrace.map(String.init)),
            ("--access-log", "accessLog", accessLog.map(String.init)),
        ]
        return flags.compactMap { flag, path, value in value.map { .init(flag: flag, path: path, value: $0) } }
    }

    func loadConfiguration() throws(ConfigurationError) -> GatewayConfiguration {
        try GatewayConfiguration.load(file: config, environment: ProcessInfo.processInfo.environment, flags: flagOverrides)
    }

    func run() async throws {
        let signals = ShutdownSignals()  // before any thread starts, so every thread inherits the mask
        let reloads = ReloadSignals()
        let settings: GatewayConfiguration
        do {
            settings = try loadConfiguration()
        } catch {
            StandardError.write("weavr-gateway: invalid configuration:\n" + error.problems.map { "  \($0)\n" }.joined())
            throw ExitCode(1)
        }
        // One serving process per database file: a second one exits here, before touching anything.
        // (PostgreSQL is shared by design: no lock there.)
        let serveLock = try settings.database.path.map(GatewayStorage.lockForServing)
        let live = LiveSettings(settings)
        let configuration = settings.httpServer
        // JSON log lines on standard error (swift-log); the access log is checked per request, so SIGHUP
        // can turn it on and off (one atomic load when off).
        GatewayLogging.bootstrap()
        let group = EventLoopGroup(threads: settings.listen.threads ?? EventLoopGroup.coreCount)
        var services: GatewayServices?
        if let db = settings.database.location {
            do {
                let database = try GatewayStorage.open(db)
                // PostgreSQL: each loop reads sessions and request rates on a connection of its own.
                database.readOnEventLoops(group.loops)
                let masterKey = try GatewayStorage.masterKey(file: settings.masterKeyFile)
                let http = try HTTPClient(group: group)
                let lifetime = SessionLifetime(
                    idleTimeout: Int64(settings.sessions.idleTimeoutSeconds) * 1000,
                    absoluteLifetime: Int64(settings.sessions.absoluteTimeoutSeconds) * 1000
                )
                var serviceSettings = settings.serviceSettings
                if let keyFile = settings.checkpoints.keyFile {
                    // Same format and checks as the master key file; the seed is its `audit-checkpoint` subkey.
                    serviceSettings.checkpointKeySeed = try MasterKey.load(fileAt: keyFile).subkey(for: .auditCheckpoint).withUnsafeBytes { Array($0) }
                }
                services = try await GatewayServices(
                    database: database, masterKey: masterKey, http: http, settings: serviceSettings, sessionLifetime: lifetime
                )
                if let services {
                    RetentionTask.start(services: services)
                    services.startBackgroundTasks()
                }
            } catch {
                group.shutdown()
                throw ValidationError("cannot open \(GatewayStorage.displayName(db)): \(error)")
            }
        } else {
            StandardError.write("no database.path or database.url (--db) given: serving /healthz only\n")
        }
        let server: HTTPServer
        do {
            let hsts = configuration.tls == nil ? nil : settings.tls.hstsMaxAgeSeconds
            let router = if let services {
                GatewayServer.makeRouter(services: services, accessLogger: GatewayLogging.accessLogger, accessLogEnabled: { live.accessLog }, hstsMaxAgeSeconds: hsts)
            } else {
                GatewayServer.healthRouter(accessLogger: GatewayLogging.accessLogger, accessLogEnabled: { live.accessLog }, hstsMaxAgeSeconds: hsts)
            }
            server = try HTTPServer(configuration: configuration, group: group, responder: router)
            try server.start()
            services?.metrics.observe(server: server, listener: "public")
        } catch {
            group.shutdown()
            throw ValidationError("cannot start: \(error)")
        }
        let scheme = configuration.tls == nil ? "http" : "https"
        StandardOutput.write("weavr-gateway listening on \(scheme)://\(server.localAddress!)\n")
        var adminServer: HTTPServer?
        var adminTokenSource: AdminTokenSource?
        if let adminTokens = settings.admin.tokensFile, let services {
            do {
                let tokens = AdminTokenSource(try AdminTokens(configuration: String(contentsOfFile: adminTokens, encoding: .utf8)))
                adminTokenSource = tokens
                var adminConfiguration = HTTPServer.Configuration()
                adminConfiguration.host = settings.admin.host
                adminConfiguration.port = settings.admin.port
                let admin = try HTTPServer(configuration: adminConfiguration, group: group, responder: AdminAPI(services: services, tokenSource: tokens).makeRouter())
                try admin.start()
                adminServer = admin
                services.metrics.observe(server: admin, listener: "admin")
                StandardOutput.write("admin API listening on http://\(admin.localAddress!)\n")
            } catch {
                await server.shutdown(gracePeriod: .seconds(1))
                group.shutdown()
                throw ValidationError("cannot start the admin API: \(error)")
            }
        }
        let reloader = Task { [services, adminTokenSource] in
            for await _ in reloads.events() {
                await reload(started: settings, live: live, server: server, services: services, adminTokens: adminTokenSource)
            }
        }
        let signal = await signals.next()
        reloader.cancel()
        let grace = live.shutdownGraceSeconds
        StandardError.write("received \(signal), draining (up to \(grace)s)\n")
        if let adminServer { adminServer.beginShutdown() }
        // Event streams never finish by themselves: end them (clients reconnect, `retry: 2000`) so the drain is not held up.
        services?.endEventStreams()
        await server.shutdown(gracePeriod: .seconds(grace))
        if let adminServer { await adminServer.finishShutdown(gracePeriod: .seconds(1)) }
        _ = try? await services?.denials.flush(everything: true)
        group.shutdown()
        withExtendedLifetime(serveLock) {}
    }

    /// SIGHUP: re-reads the configuration (file, environment, the same flags) and applies what can change
    /// live; a configuration with errors is refused whole and the running one stays.
    private func reload(
        started: GatewayConfiguration, live: LiveSettings, server: HTTPServer, services: GatewayServices?, adminTokens: AdminTokenSource?
    ) async {
        let next: GatewayConfiguration
        do {
            next = try loadConfiguration()
        } catch {
            StandardError.write("SIGHUP: configuration not reloaded (the running one stays):\n" + error.problems.map { "  \($0)\n" }.joined())
            return
        }
        var notes: [String] = []
        server.reloadLimits(next.httpServer)
        switch (started.httpServer.tls, next.httpServer.tls) {
        case (.some, .some(let tls)):
            do {
                try server.reloadTLS(tls)
                notes.append("TLS certificate")
            } catch {
                notes.append("TLS certificate NOT reloaded (\(error.message)); the old one stays")
            }
        case (.none, .some):
            notes.append("TLS NOT enabled: turning it on needs a restart")
        case (.some, .none):
            notes.append("TLS NOT disabled: turning it off needs a restart")
        case (.none, .none):
            break
        }
        live.update(next)
        if let services {
            services.reloadRateLimits(next.serviceSettings)
            services.tenants.invalidateAll()
            notes.append("tenants")
            do {
                try await services.keyRing.reload()
                notes.append("signing keys")
            } catch {
                notes.append("signing keys NOT reloaded (\(error))")
            }
        }
        // The admin tokens file (same path: admin.tokensFile needs a restart): a removed token is refused at once.
        if let adminTokens, let file = started.admin.tokensFile {
            do {
                adminTokens.replace(with: try AdminTokens(configuration: String(contentsOfFile: file, encoding: .utf8)))
                notes.append("admin tokens")
            } catch {
                notes.append("admin tokens NOT reloaded (\(error)); the old ones stay")
            }
        }
        var line = "SIGHUP: reloaded limits, rate limits, accessLog, shutdownGraceSeconds, " + notes.joined(separator: ", ")
        let restart = next.restartOnlyChanges(comparedTo: started)
        if !restart.isEmpty { line += "; changed but need a restart: " + restart.joined(separator: ", ") }
        StandardError.write(line + "\n")
    }
}

/// The settings SIGHUP changes that are read outside the server and services.
final class LiveSettings: Sendable {
    private let accessLogOn: Atomic<Bool>
    private let grace: Atomic<Int>

    init(_ configuration: GatewayConfiguration) {
        accessLogOn = Atomic(configuration.accessLog)
        grace = Atomic(configuration.shutdownGraceSeconds)
    }

    var accessLog: Bool { accessLogOn.load(ordering: .relaxed) }
    var shutdownGraceSeconds: Int { grace.load(ordering: .relaxed) }

    func update(_ configuration: GatewayConfiguration) {
        accessLogOn.store(configuration.accessLog, ordering: .relaxed)
        grace.store(configuration.shutdownGraceSeconds, ordering: .relaxed)
    }
}

enum StandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

enum StandardOutput {
    /// Unbuffered, so scripts reading our output (the port line) see it at once.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(1, $0.baseAddress, $0.count) }
    }
}
