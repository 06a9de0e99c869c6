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

    /// Creates an empty database with a unique name.
    public init() throws {
        clusterURL = try Self.clusterURL()
        name = "wgtest_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try Database.executeOnce(url: clusterURL, script: "CREATE DATABASE \(name)")
        url = Database.url(clusterURL, withDatabase: name)
    }

    deinit {
        drop()
    }

    /// Drops the database (and its connections).
    public func drop() {
        try? Database.executeOnce(url: clusterURL, script: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// The engines a store contract test runs on.
public enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// A migrated, empty database on this engine, closed (and dropped) with the returned handle.
    public func open(migrations: Migrations) throws -> TestDatabase {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory()
            let database = try Database.open(path: directory.file("gateway.sqlite"), migrations: migrations)
            return TestDatabase(database: database, directory: directory, postgres: nil)
        case .postgres:
            let postgres = try PostgresTestDatabase()
            let database = try Database.connect(url: postgres.url, migrations: migrations)
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
