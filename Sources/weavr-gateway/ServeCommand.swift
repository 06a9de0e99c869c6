import ArgumentParser
import Auth
import Foundation
import Gateway
import Glibc
import NIOFreeHTTP

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway's public listener."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port and prints it).")
    var port = 8080

    @Option(help: "PEM certificate chain; enables TLS together with --tls-key.")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Option(help: "Seconds to let in-flight requests finish on SIGTERM/SIGINT.")
    var shutdownGrace = 10

    @Flag(help: "Print one line per request to standard error.")
    var accessLog = false

    @Option(help: "SQLite database (tenants, keys, sessions). Without it only /healthz is served.")
    var db: String?

    @Option(help: "File holding the 32-byte master key (base64 or raw, mode 0600). Default: $GATEWAY_MASTER_KEY.")
    var masterKeyFile: String?

    @Option(help: "Admin bearer tokens, one `NAME sha256:HEX` per line (make one with `weavr-gateway admin-token NAME`). Without it the admin API is off.")
    var adminTokens: String?

    @Option(help: "Address of the admin API listener (keep it on loopback or a private network).")
    var adminHost = "127.0.0.1"

    @Option(help: "Port of the admin API listener (0 picks a free one).")
    var adminPort = 9090

    func validate() throws {
        if adminTokens != nil && db == nil { throw ValidationError("--admin-tokens needs --db.") }
        if !(0...65535).contains(adminPort) { throw ValidationError("--admin-port must be 0…65535.") }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together.")
        }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535.") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be 1…256.") }
    }

    func run() async throws {
        let signals = ShutdownSignals()  // before any thread starts, so every thread inherits the mask
        var configuration = HTTPServer.Configuration()
        configuration.host = host
        configuration.port = port
        if let tlsCert, let tlsKey {
            configuration.tls = .server(certificateChainFile: tlsCert, privateKeyFile: tlsKey)
        }
        var log: (@Sendable (AccessLogEntry) -> Void)?
        if accessLog {
            log = { entry in
                let micros = entry.durationNanoseconds / 1_000
                StandardError.write("\(entry.requestID) \(entry.method) \(entry.route) \(entry.status) \(micros)us\n")
            }
        }
        let group = EventLoopGroup(threads: threads ?? EventLoopGroup.coreCount)
        var services: GatewayServices?
        if let db {
            do {
                let database = try GatewayStorage.open(db)
                let masterKey = try GatewayStorage.masterKey(file: masterKeyFile)
                let http = try HTTPClient(group: group)
                services = try await GatewayServices(database: database, masterKey: masterKey, http: http)
            } catch {
                group.shutdown()
                throw ValidationError("cannot open \(db): \(error)")
            }
        } else {
            StandardError.write("no --db given: serving /healthz only\n")
        }
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: configuration, group: group, responder: GatewayServer.makeRouter(services: services, accessLog: log))
            try server.start()
        } catch {
            group.shutdown()
            throw ValidationError("cannot start: \(error)")
        }
        let scheme = configuration.tls == nil ? "http" : "https"
        StandardOutput.write("weavr-gateway listening on \(scheme)://\(server.localAddress!)\n")
        var adminServer: HTTPServer?
        if let adminTokens, let services {
            do {
                let tokens = try AdminTokens(configuration: String(contentsOfFile: adminTokens, encoding: .utf8))
                var adminConfiguration = HTTPServer.Configuration()
                adminConfiguration.host = adminHost
                adminConfiguration.port = adminPort
                let admin = try HTTPServer(configuration: adminConfiguration, group: group, responder: AdminAPI(services: services, tokens: tokens).makeRouter())
                try admin.start()
                adminServer = admin
                StandardOutput.write("admin API listening on http://\(admin.localAddress!)\n")
            } catch {
                await server.shutdown(gracePeriod: .seconds(1))
                group.shutdown()
                throw ValidationError("cannot start the admin API: \(error)")
            }
        }
        let signal = await signals.next()
        StandardError.write("received \(signal), draining (up to \(shutdownGrace)s)\n")
        if let adminServer { adminServer.beginShutdown() }
        await server.shutdown(gracePeriod: .seconds(shutdownGrace))
        if let adminServer { await adminServer.finishShutdown(gracePeriod: .seconds(1)) }
        group.shutdown()
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
