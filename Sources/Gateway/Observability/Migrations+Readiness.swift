import Storage

extension Migrations {
    /// Version 9: `readiness_heartbeat`, one row rewritten by the `/readyz` database check, so that
    /// readiness proves a real write (a page into the WAL and an fsync) rather than only taking the lock.
    static let readiness = Migrations([
        Migration(
            version: 9,
            sql: """
                CREATE TABLE readiness_heartbeat (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    written_at INTEGER NOT NULL
                ) STRICT;
                """
        ),
    ])
}
