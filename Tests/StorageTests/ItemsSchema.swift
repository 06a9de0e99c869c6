import Storage
import TestSupport

/// The small schema the tests write to.
enum ItemsSchema {
    static let migrations: Migrations = [
        Migration(version: 1, sql: """
            CREATE TABLE items (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                payload BLOB
            );
            """),
    ]

    /// A database of this schema in `directory` whose file cannot grow past its size after the migrations
    /// (`max_page_count` 1 is clamped to it): writes that need a new page fail with SQLITE_FULL.
    static func openCapped(in directory: TemporaryDirectory) throws -> Database {
        try Database.open(
            path: directory.file("db.sqlite"),
            migrations: migrations,
            configuration: Database.Configuration(connection: SQLiteConnection.Configuration(maxPageCount: 1))
        )
    }

    static func count(in database: Database) async throws -> Int64 {
        try await database.read { try $0.query("SELECT count(*) FROM items")[0][0].int64Value ?? -1 }
    }

    static func names(in database: Database) async throws -> Set<String> {
        try await database.read { connection in
            Set(try connection.query("SELECT name FROM items").compactMap { $0[0].stringValue })
        }
    }

    static func insert(_ name: String, into database: Database) async throws {
        try await database.write { try $0.run("INSERT INTO items (name) VALUES (?)", [.text(name)]) }
    }
}
