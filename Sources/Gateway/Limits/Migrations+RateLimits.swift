import Storage

extension Migrations {
    /// Version 10: the request-rate buckets every instance shares (`SharedRateLimiter`, PostgreSQL only; the
    /// SQLite table stays empty: one serving process keeps its buckets in memory). `tat` is the GCRA
    /// theoretical arrival time in µs. UNLOGGED on PostgreSQL: no WAL flush per request; a crash refills
    /// every bucket.
    static let rateLimits = Migrations([
        Migration(
            version: 10,
            sql: """
                CREATE TABLE rate_limits (
                    key TEXT PRIMARY KEY NOT NULL,
                    tat INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                """,
            postgres: """
                CREATE UNLOGGED TABLE rate_limits (
                    key TEXT PRIMARY KEY NOT NULL,
                    tat BIGINT NOT NULL
                );
                """
        ),
        // Version 16: how many requests the last statement let through (`SharedRateLimiter` decides a batch of
        // requests per statement and reads each bucket's grant back from this column).
        Migration(
            version: 16,
            sql: "ALTER TABLE rate_limits ADD COLUMN granted INTEGER NOT NULL DEFAULT 0;",
            postgres: "ALTER TABLE rate_limits ADD COLUMN granted BIGINT NOT NULL DEFAULT 0;"
        ),
    ])
}
