import Storage
import Testing
import TestSupport

struct MigrationsTests {
    private let history: Migrations = [
        Migration(version: 1, sql: "CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"),
        Migration(version: 2, sql: "ALTER TABLE tenants ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';"),
    ]

    private func userVersion(_ database: Database) async throws -> Int {
        try await database.schemaVersion()
    }

    @Test func appliesPendingMigrationsOnceAndRecordsTheVersion() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")

        let first = try Database.open(path: path, migrations: Migrations(Array(history.steps.prefix(1))))
        #expect(try await userVersion(first) == 1)
        try await first.write { try $0.run("INSERT INTO tenants (name) VALUES ('acme')") }
        first.close()

        let second = try Database.open(path: path, migrations: history)
        #expect(try await userVersion(second) == 2)
        #expect(try await second.read { try $0.query("SELECT name, plan FROM tenants") }.map(\.values) == [["acme", "free"]])
        second.close()

        // Reopening applies nothing: re-running version 1 would fail (table exists).
        let third = try Database.open(path: path, migrations: history)
        defer { third.close() }
        #expect(try await userVersion(third) == 2)
        #expect(third.statistics.transactionsCommitted == 0)
    }

    @Test func failedMigrationLeavesThePreviousVersion() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")
        let broken = Migrations(history.steps + [Migration(version: 3, sql: "CREATE TABLE t (x); SELEC nonsense;")])

        #expect(throws: StorageError.self) { try Database.open(path: path, migrations: broken) }

        let database = try Database.open(path: path, migrations: history)
        defer { database.close() }
        #expect(try await userVersion(database) == 2)
        #expect(try await database.read { try $0.query("SELECT name FROM sqlite_schema WHERE name = 't'") }.isEmpty)
    }

    @Test func refusesDatabaseFromTheFuture() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")
        let future = try SQLiteConnection(path: path)
        try future.execute("CREATE TABLE later (x); PRAGMA user_version = 7;")
        future.close()

        #expect(throws: StorageError.schemaTooNew(databaseVersion: 7, latestKnownVersion: 2)) {
            try Database.open(path: path, migrations: history)
        }
        let check = try SQLiteConnection(path: path, mode: .readOnly)
        defer { check.close() }
        #expect(try Migrations.userVersion(of: check) == 7)
    }
}
