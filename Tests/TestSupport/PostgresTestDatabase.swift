import Foundation
public import Storage

/// A fresh PostgreSQL database for one test, on the cluster named by `WEAVR_GATEWAY_TEST_DATABASE_URL`
/// (`scripts/postgres.sh start` starts a throwaway one; `scripts/test.sh` does it for the whole suite).
/// Without the variable the test fails with a message naming that command: it never passes silently.
public final class PostgresTestDatabase: Sendable {
    /// The environment variable naming the test cluster.
    public static let environmentVariable = "WEAVR_GATEWAY_TEST_DATABASE_URL"

    /// Thrown when no test cluster is configured.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "PostgreSQL tests need \(PostgresTestDatabase.environmentVariable): run eval \"$(scripts/postgres.sh start)\" "
                + "(or the whole suite with scripts/test.sh)"
        }
    }

    /// The cluster URL from the environment, or `Missing`.
    public static func clusterURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty else { throw Missing() }
        return url
    }

    /// The database's URL.
    public let url: String
    /// Its name (`wgtest_…`).
    public let name: String
    private let clusterURL: String

    private init(clusterURL: String, name: String) {
        self.clusterURL = clusterURL
        self.name = name
        url = Database.url(clusterURL, withDatabase: name)
    }

    /// Creates an empty database with a unique name (`prefix_` and 20 hex digits), off the cooperative pool.
    public static func create(prefix: String = "wgtest") async throws -> PostgresTestDatabase {
        let clusterURL = try Self.clusterURL()
        let name = prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await offPool { try Database.executeOnce(url: clusterURL, script: "CREATE DATABASE \(name)") }
        return PostgresTestDatabase(clusterURL: clusterURL, name: name)
    }

    /// Creates a database, runs `body` with it and drops it (also when `body` throws).
    public static func with<T: Sendable>(
        prefix: String = "wgtest", _ body: (PostgresTestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await create(prefix: prefix)
        do {
            let result = try await body(database)
            try await database.drop()
            return result
        } catch {
            try? await database.drop()
            throw error
        }
    }

    deinit {
        // Dropped on a thread of its own: a deinit may run on the cooperative pool, which must not block.
        let clusterURL = clusterURL, name = name
        Thread.detachNewThread {
            try? Database.executeOnce(url: clusterURL, script: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// Drops the database (and its connections) now.
    public func drop() async throws {
        let clusterURL = clusterURL, name = name
        try await offPool { try Database.executeOnce(url: clusterURL, script: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }

    /// Connects to it and migrates it, off the cooperative pool. One reader by default: the cluster is shared by
    /// the whole parallel run.
    public func connect(migrations: Migrations, readers: Int = 1, statementTimeout: Duration? = nil) async throws -> Database {
        let url = url
        return try await offPool {
            var configuration = Database.PostgresConfiguration()
            configuration.readerCount = readers
            if let statementTimeout { configuration.statementTimeout = statementTimeout }
            return try Database.connect(url: url, migrations: migrations, configuration: configuration)
        }
    }

    /// The environment for a child process that connects to it: `PATH` and the caller's `PG*` variables
    /// (a password in `PGPASSWORD`, `PGPASSFILE`, `PGSSLMODE`…).
    public static var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("PG") }
        environment["PATH"] = "/usr/bin:/bin"
        return environment
    }
}

/// The engines a store contract test runs on.
public enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// A migrated, empty database on this engine, closed (and dropped) with the returned handle.
    public func open(migrations: Migrations) async throws -> TestDatabase {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory()
            let path = directory.file("gateway.sqlite")
            let database = try await offPool { try Database.open(path: path, migrations: migrations) }
            return TestDatabase(database: database, directory: directory, postgres: nil)
        case .postgres:
            let postgres = try await PostgresTestDatabase.create()
            let database = try await postgres.connect(migrations: migrations, readers: 2)
            return TestDatabase(database: database, directory: nil, postgres: postgres)
        }
    }
}

/// A database of a contract test and what must live as long as it.
public final class TestDatabase: Sendable {
    public let database: Database
    public let directory: TemporaryDirectory?
    public let postgres: PostgresTestDatabase?

    init(database: Database, directory: TemporaryDirectory?, postgres: PostgresTestDatabase?) {
        self.database = database
        self.directory = directory
        self.postgres = postgres
    }

    deinit {
        database.close()
    }
}
