import Foundation
import Gateway
import Glibc
import Testing
import TestSupport

/// `weavr-gateway serve` as a real process: SIGTERM drains in-flight requests, SIGHUP swaps the TLS
/// certificate without dropping open connections.
@Suite("Lifecycle", .serialized)
struct LifecycleTests {
    static let binary = CommandLineTests.binary

    private static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "lifecycle-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// curl as a running process (so a slow request can be in flight while the test does something else).
    private static func curl(_ arguments: [String]) throws -> RunningProcess {
        try RunningProcess("/usr/bin/curl", ["-sS", "--max-time", "20", "-w", "\n%{http_code}"] + arguments)
    }

    @Test(.requiresGatewayBinary)
    func sigtermLetsAnInFlightRequestFinishAndExitsZero() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let environment = ["GATEWAY_MASTER_KEY": key, "PATH": "/usr/bin:/bin"]
        let db = directory + "/gw.sqlite"

        let simulator = try RunningProcess(Self.binary, ["simulator", "--port", "0"], environment: environment)
        defer { simulator.stop() }
        let simulatorPort = try await simulator.port(after: "weavr-simulator listening on")
        let added = try await CommandLineTests.run(
            ["tenant", "add", "demo", "--db", db, "--name", "Demo", "--weavr-base-url", "http://127.0.0.1:\(simulatorPort)",
             "--prepaid-profile", "EUR=101", "--session-mode", "bearer"],
            stdin: "sim-demo-api-key\n", environment: environment
        )
        #expect(added.status == 0, "\(added.output)")

        let gateway = try RunningProcess(Self.binary, ["serve", "--db", db, "--port", "0", "--shutdown-grace", "15"], environment: environment)
        defer { gateway.stop() }
        let port = try await gateway.port(after: "weavr-gateway listening on")
        let base = "http://127.0.0.1:\(port)"

        let login = try Self.curl(["-X", "POST", base + "/v1/auth/login", "-H", "content-type: application/json",
                                   "-d", #"{"tenant":"demo","email":"alice@example.com","password":"Password1!","mode":"bearer"}"#])
        #expect(try await login.waitForExit(timeout: .seconds(20)) == 0)
        let loginLines = login.output.split(separator: "\n")
        #expect(loginLines.last == "200", "\(login.output)")
        let body = try JSONSerialization.jsonObject(with: Data(loginLines.first!.utf8)) as? [String: Any]
        let token = try #require(body?["token"] as? String)

        // Every card list now takes 3 s upstream (under the Weavr deadline): long enough to still be in flight when a busy machine has
        // seen the simulator receive it (the check spawns curl), short of the 15 s grace.
        let fault = try Self.curl(["-X", "POST", "http://127.0.0.1:\(simulatorPort)/_simulator/faults", "-H", "content-type: application/json",
                                   "-d", #"{"method":"GET","path":"/managed_cards","latencyMs":3000,"errorRate":0,"kind":"none"}"#])
        #expect(try await fault.waitForExit(timeout: .seconds(10)) == 0)
        #expect(fault.output.hasSuffix("204"), "\(fault.output)")

        // Observable state, not a guess: the simulator has received the list call and is holding it (asked in
        // process: no curl per poll). On a machine stalled for longer than the 3 s hold, the call may be over
        // before the test sees it: then it starts another, a few times, until one is caught in flight.
        @Sendable func listCallsSeen() async throws -> Int {
            let client = try RawClient(port: simulatorPort)
            let requests = try await client.exchange("GET /_simulator/requests HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return requests.bodyText.components(separatedBy: "\"/managed_cards\"").count - 1
        }
        var started = ContinuousClock.now
        var slow: RunningProcess?
        for _ in 0..<5 {
            let before = try await listCallsSeen()
            started = ContinuousClock.now
            let attempt = try Self.curl([base + "/v1/cards", "-H", "authorization: Bearer \(token)"])
            try await waitUntil(timeout: .seconds(20)) { try await listCallsSeen() > before }
            if attempt.status == nil {
                slow = attempt
                break
            }
            _ = try await attempt.waitForExit(timeout: .seconds(10))
        }
        let inFlight = try #require(slow, "no list call was caught in flight in five tries")
        gateway.signal(SIGTERM)

        #expect(try await inFlight.waitForExit(timeout: .seconds(30)) == 0)
        let lines = inFlight.output.split(separator: "\n")
        #expect(lines.last == "200", "in-flight request: \(inFlight.output)")
        #expect(lines.first?.hasPrefix("{\"cards\":[") == true, "\(inFlight.output)")
        #expect(ContinuousClock.now - started >= .milliseconds(2900))

        let status = try await gateway.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "gateway output: \(gateway.output)")
        #expect(gateway.output.contains("received SIGTERM, draining"))
        // After the drain nothing listens any more.
        let after = try Self.curl([base + "/healthz"])
        _ = try await after.waitForExit(timeout: .seconds(5))
        #expect(!after.output.hasSuffix("200"))
    }

    @Test(.requiresGatewayBinary)
    func sighupSwapsTheCertificateAndKeepsOpenConnections() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pki = try await ReloadPKI.make(in: directory)
        let certificate = directory + "/live-cert.pem"
        let privateKey = directory + "/live-key.pem"
        try FileManager.default.copyItem(atPath: pki.first.certificate, toPath: certificate)
        try FileManager.default.copyItem(atPath: pki.first.key, toPath: privateKey)
        let config = directory + "/gateway.json"
        try #"""
        {"listen": {"host": "127.0.0.1", "port": 0, "threads": 1},
         "tls": {"certificateFile": "\#(certificate)", "privateKeyFile": "\#(privateKey)"},
         "limits": {"keepAliveTimeoutSeconds": 120}}
        """#.write(toFile: config, atomically: true, encoding: .utf8)

        let gateway = try RunningProcess(Self.binary, ["serve", "--config", config], environment: ["PATH": "/usr/bin:/bin"])
        defer { gateway.stop() }
        let port = try await gateway.port(after: "weavr-gateway listening on https://")
        #expect(try await ReloadPKI.subject(port: port).contains("gateway-first"))

        // A keep-alive TLS connection, opened before the swap.
        let open = try RunningProcess("/usr/bin/openssl", ["s_client", "-quiet", "-connect", "127.0.0.1:\(port)", "-CAfile", pki.ca])
        defer { open.stop() }
        open.write("GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n")
        let firstAnswer = try await open.waitForOutput(containing: "HTTP/1.1 200")
        #expect(firstAnswer.lowercased().contains("strict-transport-security: max-age=31536000"), "\(firstAnswer)")

        // New files in place, then SIGHUP.
        try FileManager.default.removeItem(atPath: certificate)
        try FileManager.default.removeItem(atPath: privateKey)
        try FileManager.default.copyItem(atPath: pki.second.certificate, toPath: certificate)
        try FileManager.default.copyItem(atPath: pki.second.key, toPath: privateKey)
        gateway.signal(SIGHUP)
        try await gateway.waitForOutput(containing: "SIGHUP: reloaded")
        #expect(gateway.output.contains("TLS certificate"), "\(gateway.output)")
        #expect(try await ReloadPKI.subject(port: port).contains("gateway-second"))

        // The old connection still answers, on its old session.
        open.write("GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n")
        let output = try await open.waitForOutput(containing: "HTTP/1.1 200", after: firstAnswer.utf8.count)
        #expect(output.components(separatedBy: "HTTP/1.1 200").count == 3)
        #expect(open.status == nil, "the keep-alive connection was closed: \(open.output)")

        // A broken certificate is refused and the current one stays.
        try "not a certificate".write(toFile: certificate, atomically: true, encoding: .utf8)
        let before = gateway.output.utf8.count
        gateway.signal(SIGHUP)
        try await gateway.waitForOutput(containing: "TLS certificate NOT reloaded", after: before)
        #expect(try await ReloadPKI.subject(port: port).contains("gateway-second"))
        gateway.signal(SIGTERM)
        #expect(try await gateway.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test(.requiresGatewayBinary)
    func sighupReReadsTheAdminTokensFileAndARemovedTokenIsRefusedAtOnce() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let environment = ["GATEWAY_MASTER_KEY": key, "PATH": "/usr/bin:/bin"]
        let (kept, keptLine) = try AdminTokens.generate(name: "kept")
        let (removed, removedLine) = try AdminTokens.generate(name: "removed")
        let tokensFile = directory + "/admin-tokens"
        try (keptLine + "\n" + removedLine + "\n").write(toFile: tokensFile, atomically: true, encoding: .utf8)
        let gateway = try RunningProcess(Self.binary, ["serve", "--db", directory + "/gw.sqlite", "--port", "0", "--admin-port", "0", "--admin-tokens", tokensFile],
                                         environment: environment)
        defer { gateway.stop() }
        _ = try await gateway.port(after: "weavr-gateway listening on")
        let adminPort = try await gateway.port(after: "admin API listening on http://")
        func status(_ token: String) async throws -> String {
            let call = try Self.curl(["-o", "/dev/null", "-H", "authorization: Bearer \(token)", "http://127.0.0.1:\(adminPort)/admin/v1/tenants"])
            _ = try await call.waitForExit(timeout: .seconds(20))
            return String(call.output.split(separator: "\n").last ?? "")
        }
        #expect(try await status(removed) == "200")
        #expect(try await status(kept) == "200")

        try (keptLine + "\n").write(toFile: tokensFile, atomically: true, encoding: .utf8)
        let before = gateway.output.utf8.count
        gateway.signal(SIGHUP)
        try await gateway.waitForOutput(containing: "SIGHUP: reloaded", after: before)
        #expect(gateway.output.contains("admin tokens"), "\(gateway.output)")
        #expect(try await status(removed) == "401")
        #expect(try await status(kept) == "200")

        // A broken file is refused and the tokens in force stay.
        try "not a token line\n".write(toFile: tokensFile, atomically: true, encoding: .utf8)
        let again = gateway.output.utf8.count
        gateway.signal(SIGHUP)
        try await gateway.waitForOutput(containing: "admin tokens NOT reloaded", after: again)
        #expect(try await status(kept) == "200")
        gateway.signal(SIGTERM)
        #expect(try await gateway.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test(.requiresGatewayBinary)
    func sighupWithABrokenConfigurationKeepsTheRunningOne() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/gateway.json"
        try #"{"listen": {"port": 0}, "accessLog": false}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try RunningProcess(Self.binary, ["serve", "--config", config], environment: ["PATH": "/usr/bin:/bin"])
        defer { gateway.stop() }
        let port = try await gateway.port(after: "weavr-gateway listening on")

        try #"{"listen": {"port": 1}, "accessLog": true}"#.write(toFile: config, atomically: true, encoding: .utf8)
        gateway.signal(SIGHUP)
        try await gateway.waitForOutput(containing: "need a restart: listen.port")
        let request = try Self.curl(["http://127.0.0.1:\(port)/healthz"])
        _ = try await request.waitForExit(timeout: .seconds(5))
        #expect(request.output.hasSuffix("200"))
        try await gateway.waitForOutput(containing: #""route":"/healthz","status":200"#)  // accessLog turned on live (JSON line)

        try #"{"listen": {"port": "eighty"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        gateway.signal(SIGHUP)
        try await gateway.waitForOutput(containing: "configuration not reloaded")
        #expect(gateway.output.contains(#"listen.port: expected an integer 0…65535, got "eighty""#))
        gateway.signal(SIGTERM)
        #expect(try await gateway.waitForExit(timeout: .seconds(15)) == 0)
    }
}

/// A CA and two leaf certificates for 127.0.0.1 with different subjects and serials, made with `openssl`.
struct ReloadPKI {
    struct Leaf {
        var certificate: String
        var key: String
    }

    var ca: String
    var first: Leaf
    var second: Leaf

    static func make(in directory: String) async throws -> ReloadPKI {
        func path(_ name: String) -> String { directory + "/" + name }
        try await openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                           "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2", "-subj", "/CN=reload test CA",
                           "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"])
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".write(toFile: path("leaf.ext"), atomically: true, encoding: .utf8)
        var leaves: [Leaf] = []
        for (index, name) in ["gateway-first", "gateway-second"].enumerated() {
            try await openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("\(name).key")])
            try await openssl(["req", "-new", "-key", path("\(name).key"), "-subj", "/CN=\(name)", "-out", path("\(name).csr")])
            try await openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                               "-set_serial", "\(1000 + index)", "-days", "2", "-extfile", path("leaf.ext"), "-out", path("\(name).pem")])
            leaves.append(Leaf(certificate: path("\(name).pem"), key: path("\(name).key")))
        }
        return ReloadPKI(ca: path("ca.pem"), first: leaves[0], second: leaves[1])
    }

    /// The subject of the certificate a fresh handshake with 127.0.0.1:`port` presents.
    static func subject(port: Int) async throws -> String {
        let result = try await ProcessRunner.run(["sh", "-c",
            "openssl s_client -connect 127.0.0.1:\(port) </dev/null 2>/dev/null | openssl x509 -noout -subject -serial"])
        return result.output
    }

    private static func openssl(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.run(["openssl"] + arguments)
        guard result.status == 0 else { throw HarnessError("openssl \(arguments.joined(separator: " ")): \(result.output)") }
    }
}
