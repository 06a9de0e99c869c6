extension Migrations {
    /// Brings a PostgreSQL database up to `latestVersion`; returns the versions applied.
    ///
    /// The history is kept in `schema_migrations` (one row per applied version). The whole run
    /// holds a session advisory lock, so instances starting together migrate once: the second
    /// waits, then finds nothing pending. Each step runs in its own transaction with its row.
    @discardableResult
    func apply(to connection: PostgresConnection) throws -> [Int] {
        try connection.run("SELECT pg_advisory_lock(\(PostgresConnection.migrationLockKey))", [])
        defer { _ = try? connection.run("SELECT pg_advisory_unlock(\(PostgresConnection.migrationLockKey))", []) }
        try connection.execute( """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            """)
        let currentVersion = try Self.postgresVersion(of: connection)
        guard currentVersion <= latestVersion else {
            throw StorageError.schemaTooNew(databaseVersion: currentVersion, latestKnownVersion: latestVersion)
        }
        var applied: [Int] = []
        for migration in steps where migration.version > currentVersion {
            let script = migration.postgresScript
            try connection.execute( "BEGIN")
            do {
                try connection.execute( script)
                try connection.run("INSERT INTO schema_migrations (version) VALUES (?)", [.integer(Int64(migration.version))])
                try connection.execute( "COMMIT")
                applied.append(migration.version)
            } catch {
                _ = try? connection.execute( "ROLLBACK")
                throw error
            }
        }
        return applied
    }

    /// The newest version recorded in `schema_migrations`; 0 when none.
    static func postgresVersion(of connection: any SQLConnection) throws -> Int {
        let rows = try connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations", [])
        return Int(rows.first?[0].int64Value ?? 0)
    }
}
