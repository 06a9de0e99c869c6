import Foundation
import Storage
import GatewayCore

extension GatewayConfiguration {
    /// A command-line flag that sets a key (`--port 8443` → `listen.port`).
    public struct FlagOverride: Sendable {
        public var flag: String
        public var path: String
        public var value: String

        public init(flag: String, path: String, value: String) {
            self.flag = flag
            self.path = path
            self.value = value
        }
    }

    /// Environment variables with this prefix are configuration; an unknown one is an error.
    public static let environmentPrefix = "WEAVR_GATEWAY_"

    /// Defaults, then `file` (JSON), then `WEAVR_GATEWAY_*` variables of `environment`, then `flags`; then
    /// checks that belong to several keys and (with `checkFiles`) that named files can be read.
    /// Every problem is collected, each naming its key; unknown keys and secrets in the file are problems too.
    public static func load(
        file: String?, environment: [String: String], flags: [FlagOverride] = [], checkFiles: Bool = true
    ) throws(ConfigurationError) -> GatewayConfiguration {
        var loader = Loader()
        if let file { loader.readFile(file) }
        loader.readEnvironment(environment)
        loader.readFlags(flags)
        loader.validate(checkFiles: checkFiles)
        if !loader.problems.isEmpty { throw ConfigurationError(problems: loader.problems) }
        return loader.configuration
    }

    /// Reads and checks a JSON text (no environment, no flags, no file checks); for tests and tools.
    public static func parse(json: String) throws(ConfigurationError) -> GatewayConfiguration {
        var loader = Loader()
        loader.readJSON(Data(json.utf8), name: "configuration")
        loader.validate(checkFiles: false)
        if !loader.problems.isEmpty { throw ConfigurationError(problems: loader.problems) }
        return loader.configuration
    }

    /// Names that hold secrets. Known keys (`masterKeyFile`, `admin.tokensFile`, `tls.privateKeyFile`) name
    /// files and are never matched: this only decides how an unknown key is reported.
    static func looksLikeSecret(_ name: String) -> Bool {
        let normalized = name.lowercased().filter { $0.isLetter || $0.isNumber }
        if normalized.hasSuffix("file") || normalized.hasSuffix("path") { return false }
        return ["key", "password", "passwd", "passphrase", "secret", "token", "credential"].contains { normalized.contains($0) }
    }

    static let secretAdvice = "secrets never go in the configuration file or on the command line: the master key comes from "
        + "GATEWAY_MASTER_KEY or the file named by masterKeyFile, admin tokens from admin.tokensFile, and a tenant's "
        + "Weavr api-key is set with `weavr-gateway tenant add` (read from standard input)"

    private struct Loader {
        var configuration = GatewayConfiguration()
        var problems: [String] = []
        let keys = GatewayConfiguration.keys
        let byPath: [String: ConfigurationKey]
        let sections: [String: [String]]

        init() {
            byPath = Dictionary(uniqueKeysWithValues: keys.map { ($0.path, $0) })
            var sections: [String: [String]] = [:]
            for key in keys {
                let parts = key.path.split(separator: ".")
                if parts.count == 2 { sections[String(parts[0]), default: []].append(String(parts[1])) }
            }
            self.sections = sections
            for key in keys { configuration.origins[key.path] = "default" }
        }

        mutating func readFile(_ file: String) {
            guard let data = FileManager.default.contents(atPath: file) else {
                let reason = FileManager.default.fileExists(atPath: file) ? "not readable" : "no such file"
                problems.append("\(file): cannot read the configuration file (\(reason))")
                return
            }
            readJSON(data, name: file)
        }

        mutating func readJSON(_ data: Data, name: String) {
            let root: JSONValue
            do {
                root = try JSONDecoder().decode(JSONValue.self, from: data)
            } catch {
                problems.append("\(name): not valid JSON (\(Self.describe(error)))")
                return
            }
            guard case .object(let object) = root else {
                problems.append("\(name): expected a JSON object at the top level, got \(root.shortDescription)")
                return
            }
            walk(object, prefix: "")
        }

        private mutating func walk(_ object: [String: JSONValue], prefix: String) {
            for name in object.keys.sorted() {
                let value = object[name]!
                let path = prefix.isEmpty ? name : prefix + "." + name
                if let key = byPath[path] {
                    if let accepted = key.accept(value) {
                        key.set(&configuration, accepted)
                        configuration.origins[path] = "file"
                    } else {
                        problems.append("\(path): expected \(key.form.expectation), got \(value.shortDescription)")
                    }
                } else if prefix.isEmpty, let members = sections[name] {
                    if case .object(let inner) = value {
                        walk(inner, prefix: path)
                    } else {
                        problems.append("\(path): expected an object with the keys \(members.joined(separator: ", ")), got \(value.shortDescription)")
                    }
                } else if GatewayConfiguration.looksLikeSecret(name) {
                    problems.append("\(path): looks like a secret and is refused (its value is not shown); \(GatewayConfiguration.secretAdvice)")
                } else {
                    problems.append("\(path): unknown key\(suggestion(for: path, among: Array(byPath.keys) + Array(sections.keys)))")
                    if case .object(let inner) = value { reportSecrets(inner, prefix: path) }
                }
            }
        }

        /// Secrets nested in an unknown section are reported as secrets too.
        private mutating func reportSecrets(_ object: [String: JSONValue], prefix: String) {
            for name in object.keys.sorted() {
                let path = prefix + "." + name
                if GatewayConfiguration.looksLikeSecret(name) {
                    problems.append("\(path): looks like a secret and is refused (its value is not shown); \(GatewayConfiguration.secretAdvice)")
                } else if case .object(let inner) = object[name]! {
                    reportSecrets(inner, prefix: path)
                }
            }
        }

        mutating func readEnvironment(_ environment: [String: String]) {
            let byName = Dictionary(uniqueKeysWithValues: keys.map { ($0.environmentName, $0) })
            for name in environment.keys.sorted() where name.hasPrefix(GatewayConfiguration.environmentPrefix) {
                let text = environment[name]!
                guard let key = byName[name] else {
                    let bare = String(name.dropFirst(GatewayConfiguration.environmentPrefix.count))
                    if GatewayConfiguration.looksLikeSecret(bare) {
                        problems.append("\(name): not a configuration key; \(GatewayConfiguration.secretAdvice)")
                    } else {
                        problems.append("\(name): unknown configuration variable\(suggestion(for: name, among: Array(byName.keys)))")
                    }
                    continue
                }
                apply(key, text: text, source: name)
            }
        }

        mutating func readFlags(_ flags: [FlagOverride]) {
            for flag in flags {
                guard let key = byPath[flag.path] else {
                    problems.append("\(flag.flag): no configuration key \(flag.path)")
                    continue
                }
                apply(key, text: flag.value, source: flag.flag)
            }
        }

        private mutating func apply(_ key: ConfigurationKey, text: String, source: String) {
            guard let value = key.parse(text: text) else {
                problems.append("\(source) (\(key.path)): expected \(key.form.expectation), got \(JSONString.quoted(text))")
                return
            }
            key.set(&configuration, value)
            configuration.origins[key.path] = source
        }

        /// Rules that involve more than one key, and files that must be readable.
        mutating func validate(checkFiles: Bool) {
            let c = configuration
            if (c.tls.certificateFile == nil) != (c.tls.privateKeyFile == nil) {
                let missing = c.tls.certificateFile == nil ? "tls.certificateFile" : "tls.privateKeyFile"
                problems.append("\(missing): required together with \(missing == "tls.certificateFile" ? "tls.privateKeyFile" : "tls.certificateFile") (both or neither)")
            }
            if c.admin.tokensFile != nil, c.database.location == nil {
                problems.append("admin.tokensFile: needs database.path or database.url (the admin API works on the database)")
            }
            if let url = c.database.url {
                if c.database.path != nil {
                    problems.append("database.url: set either database.path (SQLite) or database.url (PostgreSQL), not both")
                }
                if !Database.isPostgresURL(url) {
                    problems.append("database.url: expected a postgresql:// URL, got \(JSONString.quoted(Database.redacted(url: url)))")
                }
                if Database.urlHasPassword(url), c.origins["database.url"] != "WEAVR_GATEWAY_DATABASE_URL" {
                    problems.append("database.url (\(c.origins["database.url"] ?? "file")): the password never goes in the configuration file or on the command line; use PGPASSWORD, PGPASSFILE or the whole URL in WEAVR_GATEWAY_DATABASE_URL")
                }
            }
            if let path = c.database.path, Database.isPostgresURL(path) {
                problems.append("database.path: a PostgreSQL URL goes in database.url")
            }
            if c.sessions.absoluteTimeoutSeconds < c.sessions.idleTimeoutSeconds {
                problems.append("sessions.absoluteTimeoutSeconds: expected at least sessions.idleTimeoutSeconds (\(c.sessions.idleTimeoutSeconds)), got \(c.sessions.absoluteTimeoutSeconds)")
            }
            if c.admin.tokensFile != nil, c.admin.port != 0, c.admin.port == c.listen.port {
                problems.append("admin.port: expected a port other than listen.port (\(c.listen.port)), got \(c.admin.port)")
            }
            if !AuditCheckpointNote.isValidKeyName(c.checkpoints.origin) {
                problems.append("checkpoints.origin: expected a name without spaces or `+`, got \(JSONString.quoted(c.checkpoints.origin))")
            }
            let webhook = c.checkpoints.webhookURL
            if !webhook.isEmpty, !(webhook.hasPrefix("https://") || webhook.hasPrefix("http://")) {
                problems.append("checkpoints.webhookURL: expected an http:// or https:// URL or empty, got \(JSONString.quoted(webhook))")
            }
            guard checkFiles else { return }
            for (path, file) in [("tls.certificateFile", c.tls.certificateFile), ("tls.privateKeyFile", c.tls.privateKeyFile),
                                 ("admin.tokensFile", c.admin.tokensFile), ("masterKeyFile", c.masterKeyFile),
                                 ("checkpoints.keyFile", c.checkpoints.keyFile)] {
                guard let file else { continue }
                if !FileManager.default.isReadableFile(atPath: file) {
                    let reason = FileManager.default.fileExists(atPath: file) ? "not readable" : "no such file"
                    problems.append("\(path): expected a readable file, got \(JSONString.quoted(file)) (\(reason))")
                }
            }
        }

        /// " (did you mean listen.port?)" for a near miss, else "".
        private func suggestion(for name: String, among candidates: [String]) -> String {
            let lowered = name.lowercased()
            var best: (name: String, distance: Int)?
            for candidate in candidates.sorted() {
                let distance = Self.distance(lowered, candidate.lowercased())
                if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
            }
            guard let best, best.distance <= max(2, name.count / 5) else {
                return "; known keys are listed by `weavr-gateway config reference`"
            }
            return " (did you mean \(best.name)?)"
        }

        private static func distance(_ a: String, _ b: String) -> Int {
            let a = Array(a), b = Array(b)
            if a.isEmpty { return b.count }
            var row = Array(0...b.count)
            for i in 1...a.count {
                var previous = row[0]
                row[0] = i
                for j in stride(from: 1, through: b.count, by: 1) {
                    let current = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }

        private static func describe(_ error: any Error) -> String {
            if case DecodingError.dataCorrupted(let context) = error {
                if let underlying = context.underlyingError { return "\(underlying.localizedDescription)" }
                return context.debugDescription
            }
            return "\(error)"
        }
    }
}
