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
    ])
}
