import Foundation
@testable import Gateway
import Testing
import TestSupport

/// `GatewayConfiguration`: file, environment and flags, validation messages, secrets refused, `config check`.
@Suite("Configuration")
struct ConfigurationTests {
    private func problems(json: String, environment: [String: String] = [:]) -> [String] {
        let file = NSTemporaryDirectory() + "config-\(UUID().uuidString).json"
        try? json.write(toFile: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            _ = try GatewayConfiguration.load(file: file, environment: environment, checkFiles: false)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func defaultsMatchTheServerAndServiceDefaults() throws {
        let configuration = try GatewayConfiguration.load(file: nil, environment: [:])
        #expect(configuration == GatewayConfiguration())
        #expect(configuration.listen.port == 8080)
        #expect(configuration.sessions.idleTimeoutSeconds == 300)
        #expect(configuration.origins["listen.port"] == "default")
        let server = configuration.httpServer
        #expect(server.maxBodyBytes == 1024 * 1024 && server.maxHeaderCount == 100 && server.tls == nil)
        #expect(configuration.serviceSettings.tenantRequestsPerMinute == 6_000)
    }

    @Test(arguments: [
        (#"{"listen": {"port": "eighty"}}"#, #"listen.port: expected an integer 0…65535, got "eighty""#),
        (#"{"listen": {"port": 70000}}"#, "listen.port: expected an integer 0…65535, got 70000"),
        (#"{"listen": {"threads": 0}}"#, "listen.threads: expected an integer 1…256 or null, got 0"),
        (#"{"listen": {"host": ""}}"#, #"listen.host: expected a string, got """#),
        (#"{"limits": {"maxBodyBytes": 1.5}}"#, "limits.maxBodyBytes: expected an integer"),
        (#"{"limits": {"maxConnectionsPerIP": -1}}"#, "limits.maxConnectionsPerIP: expected an integer 1…1000000, got -1"),
        (#"{"sessions": {"idleTimeoutSeconds": 600}}"#, "sessions.idleTimeoutSeconds: expected an integer 1…300, got 600"),
        (#"{"sessions": {"idleTimeoutSeconds": 300, "absoluteTimeoutSeconds": 60}}"#, "sessions.absoluteTimeoutSeconds: expected at least"),
        (#"{"rateLimits": {"tenantPerMinute": "lots"}}"#, #"rateLimits.tenantPerMinute: expected an integer"#),
        (#"{"accessLog": "yes"}"#, #"accessLog: expected true or false, got "yes""#),
        (#"{"shutdownGraceSeconds": null}"#, "shutdownGraceSeconds: expected an integer 0…3600, got null"),
        (#"{"tls": {"certificateFile": "/c.pem"}}"#, "tls.privateKeyFile: required together with tls.certificateFile"),
        (#"{"admin": {"tokensFile": "/t"}}"#, "admin.tokensFile: needs database.path"),
        (#"{"limits": 5}"#, "limits: expected an object with the keys maxBodyBytes"),
        (#"{"listen": {"prot": 80}}"#, "listen.prot: unknown key (did you mean listen.port?)"),
        (#"{"acessLog": true}"#, "acessLog: unknown key (did you mean accessLog?)"),
        (#"{"database": {"path": "/d", "journal": "wal"}}"#, "database.journal: unknown key"),
        (#"[1]"#, "expected a JSON object at the top level"),
        (#"{"listen": "#, "not valid JSON"),
    ])
    func everyErrorNamesTheKeyAndTheExpectedForm(json: String, message: String) {
        let problems = problems(json: json)
        #expect(problems.contains { $0.contains(message) }, "\(problems)")
    }

    @Test func allProblemsAreReportedAtOnce() {
        let problems = problems(json: #"{"listen": {"port": "x", "host": 1}, "limits": {"maxHeaderCount": 0}, "typo": 1}"#)
        #expect(problems.count == 4, "\(problems)")
        for key in ["listen.port", "listen.host", "limits.maxHeaderCount", "typo"] {
            #expect(problems.contains { $0.hasPrefix(key + ":") }, "\(key) missing in \(problems)")
        }
    }

    @Test(arguments: ["apiKey", "masterKey", "password", "token", "adminToken", "weavr_api_key", "clientSecret"])
    func secretsInTheFileAreRefusedWithoutShowingThem(name: String) {
        let secret = "s3cr3t-\(UUID().uuidString)"
        for json in [#"{"\#(name)": "\#(secret)"}"#, #"{"admin": {"\#(name)": "\#(secret)"}}"#, #"{"tenants": {"acme": {"\#(name)": "\#(secret)"}}}"#] {
            let problems = problems(json: json)
            let line = problems.first { $0.contains(name + ":") && $0.contains("looks like a secret") }
            #expect(line != nil, "\(json): \(problems)")
            #expect(line?.contains("GATEWAY_MASTER_KEY") == true)
            #expect(!problems.joined().contains(secret))
        }
    }

    @Test func fileKeysThatNameSecretFilesAreAllowed() throws {
        let configuration = try GatewayConfiguration.parse(json: """
            {"masterKeyFile": "/run/secrets/master.key", "database": {"path": "/var/lib/gw.sqlite"},
             "admin": {"tokensFile": "/run/secrets/admin-tokens"}, "tls": {"certificateFile": "/c", "privateKeyFile": "/k"}}
            """)
        #expect(configuration.masterKeyFile == "/run/secrets/master.key")
        #expect(configuration.httpServer.tls?.privateKeyFile == "/k")
    }

    @Test func environmentNamesFollowSectionAndKey() {
        let names = Dictionary(uniqueKeysWithValues: GatewayConfiguration.keys.map { ($0.path, $0.environmentName) })
        #expect(names["listen.port"] == "WEAVR_GATEWAY_LISTEN_PORT")
        #expect(names["tls.certificateFile"] == "WEAVR_GATEWAY_TLS_CERTIFICATE_FILE")
        #expect(names["limits.maxConnectionsPerIP"] == "WEAVR_GATEWAY_LIMITS_MAX_CONNECTIONS_PER_IP")
        #expect(names["rateLimits.loginAttemptsPerEmail"] == "WEAVR_GATEWAY_RATE_LIMITS_LOGIN_ATTEMPTS_PER_EMAIL")
        #expect(names["rateLimits.loginPerClientIPPerMinute"] == "WEAVR_GATEWAY_RATE_LIMITS_LOGIN_PER_CLIENT_IP_PER_MINUTE")
        #expect(names["masterKeyFile"] == "WEAVR_GATEWAY_MASTER_KEY_FILE")
        #expect(names["accessLog"] == "WEAVR_GATEWAY_ACCESS_LOG")
        #expect(Set(names.values).count == names.count)
    }

    @Test func environmentOverridesTheFile() throws {
        let file = NSTemporaryDirectory() + "config-\(UUID().uuidString).json"
        try #"{"listen": {"port": 8080, "host": "0.0.0.0"}, "accessLog": false}"#.write(toFile: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let configuration = try GatewayConfiguration.load(file: file, environment: [
            "WEAVR_GATEWAY_LISTEN_PORT": "8443", "WEAVR_GATEWAY_ACCESS_LOG": "true",
            "WEAVR_GATEWAY_LIMITS_MAX_BODY_BYTES": "2048", "WEAVR_GATEWAY_LISTEN_THREADS": "2",
            "HOME": "/root", "GATEWAY_MASTER_KEY": "not ours",
        ])
        #expect(configuration.listen.port == 8443)
        #expect(configuration.listen.host == "0.0.0.0")
        #expect(configuration.accessLog)
        #expect(configuration.limits.maxBodyBytes == 2048)
        #expect(configuration.listen.threads == 2)
        #expect(configuration.origins["listen.port"] == "WEAVR_GATEWAY_LISTEN_PORT")
        #expect(configuration.origins["listen.host"] == "file")
    }

    @Test func flagsWinOverEnvironmentWhichWinsOverFileWhichWinsOverDefaults() throws {
        let file = NSTemporaryDirectory() + "config-\(UUID().uuidString).json"
        try #"{"listen": {"port": 1001, "host": "10.0.0.1"}, "admin": {"port": 2001}, "shutdownGraceSeconds": 3}"#
            .write(toFile: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let configuration = try GatewayConfiguration.load(
            file: file,
            environment: ["WEAVR_GATEWAY_LISTEN_PORT": "1002", "WEAVR_GATEWAY_ADMIN_PORT": "2002"],
            flags: [.init(flag: "--port", path: "listen.port", value: "1003")]
        )
        #expect(configuration.listen.port == 1003)           // flag > env > file
        #expect(configuration.admin.port == 2002)            // env > file
        #expect(configuration.listen.host == "10.0.0.1")     // file > default
        #expect(configuration.shutdownGraceSeconds == 3)
        #expect(configuration.limits.maxHeaderCount == 100)  // default
        #expect(configuration.origins["listen.port"] == "--port")
    }

    @Test func badEnvironmentAndFlagValuesNameTheVariableAndTheKey() {
        do {
            _ = try GatewayConfiguration.load(
                file: nil,
                environment: ["WEAVR_GATEWAY_LISTEN_PORT": "eighty", "WEAVR_GATEWAY_LISTN_HOST": "x", "WEAVR_GATEWAY_API_KEY": "s3cr3t"],
                flags: [.init(flag: "--shutdown-grace", path: "shutdownGraceSeconds", value: "-1")]
            )
            Issue.record("accepted")
        } catch {
            let text = error.description
            #expect(text.contains(#"WEAVR_GATEWAY_LISTEN_PORT (listen.port): expected an integer 0…65535, got "eighty""#), "\(text)")
            #expect(text.contains("WEAVR_GATEWAY_LISTN_HOST: unknown configuration variable (did you mean WEAVR_GATEWAY_LISTEN_HOST?)"), "\(text)")
            #expect(text.contains("WEAVR_GATEWAY_API_KEY: not a configuration key; secrets"), "\(text)")
            #expect(!text.contains("s3cr3t"))
            #expect(text.contains(#"--shutdown-grace (shutdownGraceSeconds): expected an integer 0…3600, got "-1""#), "\(text)")
        }
    }

    @Test func namedFilesMustBeReadable() {
        do {
            _ = try GatewayConfiguration.load(file: nil, environment: ["WEAVR_GATEWAY_MASTER_KEY_FILE": "/nonexistent/master.key"])
            Issue.record("accepted")
        } catch {
            #expect(error.problems == [#"masterKeyFile: expected a readable file, got "/nonexistent/master.key" (no such file)"#])
        }
        #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(file: "/nonexistent/gateway.json", environment: [:]) }
    }

    @Test func reloadNamesTheKeysThatNeedARestart() throws {
        let running = try GatewayConfiguration.parse(json: #"{"listen": {"port": 8080}, "limits": {"maxBodyBytes": 10}}"#)
        let next = try GatewayConfiguration.parse(json: #"{"listen": {"port": 9000}, "limits": {"maxBodyBytes": 20}, "admin": {"host": "0.0.0.0"}}"#)
        #expect(next.restartOnlyChanges(comparedTo: running) == ["listen.port", "admin.host"])
    }

    @Test func referenceTableListsEveryKeyWithDefaultAndEnvironmentName() {
        let table = GatewayConfiguration.referenceTable
        for key in GatewayConfiguration.keys {
            #expect(table.contains("| `\(key.path)` | `\(key.defaultValue)` | `\(key.environmentName)` |"))
        }
    }

    @Test(.requiresGatewayBinary)
    func configCheckPrintsTheEffectiveConfigurationOrTheErrors() async throws {
        let directory = NSTemporaryDirectory() + "config-check-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = directory + "/good.json"
        try #"{"listen": {"port": 8443}, "database": {"path": "/var/lib/gw.sqlite"}}"#.write(toFile: good, atomically: false, encoding: .utf8)
        let ok = try await CommandLineTests.run(["config", "check", good], environment: ["WEAVR_GATEWAY_ACCESS_LOG": "true", "GATEWAY_MASTER_KEY": "c2VjcmV0LW1hc3Rlci1rZXk="])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.hasPrefix("OK: \(good)\n"))
        #expect(ok.output.contains("listen.port"))
        #expect(ok.output.contains("8443  # file"))
        #expect(ok.output.contains("accessLog") && ok.output.contains("true  # WEAVR_GATEWAY_ACCESS_LOG"))
        #expect(!ok.output.contains("c2VjcmV0LW1hc3Rlci1rZXk="))

        let bad = directory + "/bad.json"
        try #"{"listen": {"port": "eighty"}, "masterKey": "hunter2-secret"}"#.write(toFile: bad, atomically: false, encoding: .utf8)
        let refused = try await CommandLineTests.run(["config", "check", bad], environment: [:])
        #expect(refused.status == 1)
        #expect(refused.output.contains("2 errors"))
        #expect(refused.output.contains(#"listen.port: expected an integer 0…65535, got "eighty""#))
        #expect(refused.output.contains("masterKey: looks like a secret"))
        #expect(!refused.output.contains("hunter2-secret"))

        // serve refuses the same file before binding anything.
        let serve = try await CommandLineTests.run(["serve", "--config", bad], environment: [:])
        #expect(serve.status == 1)
        #expect(serve.output.contains("listen.port: expected an integer"))
    }
}
