/// One schema step: `sql` brings the database from the previous version to `version`.
public struct Migration: Sendable, Hashable {
    /// The `PRAGMA user_version` recorded once `sql` has run; positive.
    public let version: Int
    /// The SQLite script to run, inside the migration's own transaction.
    public let sql: String
    /// The same step for PostgreSQL when it cannot be derived from `sql` (triggers, functions);
    /// `nil`: `postgresScript` derives it.
    public let postgres: String?

    /// The PostgreSQL script: `postgres`, or `sql` with its SQLite-only words mapped. Schemas are
    /// written in the subset both engines share; only `STRICT`, `WITHOUT ROWID`, `BLOB` (`BYTEA`) and
    /// `INTEGER` (64-bit there, `BIGINT` here) differ.
    public var postgresScript: String {
        if let postgres { return postgres }
        var script = sql
        for (sqlite, postgresql) in [(" STRICT, WITHOUT ROWID;", ";"), (" STRICT;", ";"), (" BLOB", " BYTEA"), (" INTEGER", " BIGINT")] {
            script = script.replacing(sqlite, with: postgresql)
        }
        return script
    }

    /// Creates a migration to `version`.
    public init(version: Int, sql: String, postgres: String? = nil) {
        self.version = version
        self.sql = sql
        self.postgres = postgres
    }
}
