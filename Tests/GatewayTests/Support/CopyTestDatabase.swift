import Foundation
import Gateway
import Storage
import Testing

/// A PostgreSQL database of its own for one test, on the cluster `WEAVR_GATEWAY_TEST_DATABASE_URL` names (a
/// URL where tests may `CREATE DATABASE`): created empty, dropped afterwards whatever the test did.
struct CopyTestDatabase: Sendable {
    static let environmentVariable = "WEAVR_GATEWAY_TEST_DATABASE_URL"
    static let missingMessage =
        "PostgreSQL tests need WEAVR_GATEWAY_TEST_DATABASE_URL: run eval \"$(scripts/postgres.sh start)\" or scripts/test.sh"

    /// The cluster URL from the environment, or `nil`.
    static var clusterURL: String? {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The database's name (`wgcopy_` and 16 hex digits).
    let name: String
    /// The URL of the database: the cluster URL with its database replaced.
    let url: String

    /// Connects to it and migrates it, with one reader: the cluster is shared by parallel tests.
    func open() throws -> Database {
        var configuration = Database.PostgresConfiguration()
        configuration.readerCount = 1
        return try Database.connect(url: url, migrations: .gateway, configuration: configuration)
    }

    /// Creates a fresh database, runs `body` with it and drops it (also when `body` throws).
    static func with<T: Sendable>(prefix: String = "wgcopy", _ body: (CopyTestDatabase) async throws -> T) async throws -> T {
        guard let clusterURL else { throw MissingCluster() }
        let name = prefix + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 16).leftPadded(to: 16)
        let database = CopyTestDatabase(name: name, url: replacingDatabase(of: clusterURL, with: name))
        try await administer(clusterURL, "CREATE DATABASE \(name)")
        do {
            let result = try await body(database)
            try await administer(clusterURL, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await administer(clusterURL, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// The environment for a child process that connects to it: `PATH` and the caller's `PG*` variables
    /// (a password in `PGPASSWORD`, `PGPASSFILE`, `PGSSLMODE`…).
    static var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("PG") }
        environment["PATH"] = "/usr/bin:/bin"
        return environment
    }

    /// `url` with its path (the database name) replaced by `/name`, keeping any `?query`.
    static func replacingDatabase(of url: String, with name: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let authorityEnd = url[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? url.endIndex
        let queryStart = url[authorityEnd...].firstIndex(of: "?") ?? url.endIndex
        return String(url[..<authorityEnd]) + "/" + name + String(url[queryStart...])
    }

    /// Runs one statement in autocommit on a one-off connection, off the test's task (libpq blocks).
    private static func administer(_ url: String, _ statement: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Database.executeOnce(url: url, script: statement) })
            }
        }
    }

    struct MissingCluster: Error, CustomStringConvertible {
        var description: String { CopyTestDatabase.missingMessage }
    }
}

/// For tests that need PostgreSQL: without `WEAVR_GATEWAY_TEST_DATABASE_URL` the test fails saying how to
/// start one — it never passes by being skipped.
struct RequiresPostgres: TestTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard CopyTestDatabase.clusterURL != nil else {
            Issue.record(Comment(rawValue: CopyTestDatabase.missingMessage))
            return
        }
        try await function()
    }
}

extension Trait where Self == RequiresPostgres {
    /// The test needs the PostgreSQL cluster of `WEAVR_GATEWAY_TEST_DATABASE_URL`; it fails clearly without one.
    static var requiresPostgres: Self { RequiresPostgres() }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
