import Storage

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

    static func count(in database: Database) throws -> Int64 {
        try database.read { try $0.query("SELECT count(*) FROM items")[0][0].int64Value ?? -1 }
    }

    static func names(in database: Database) throws -> Set<String> {
        try database.read { connection in
            Set(try connection.query("SELECT name FROM items").compactMap { $0[0].stringValue })
        }
    }

    static func insert(_ name: String, into database: Database) async throws {
        try await database.write { try $0.run("INSERT INTO items (name) VALUES (?)", [.text(name)]) }
    }
}
