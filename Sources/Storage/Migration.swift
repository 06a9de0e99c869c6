/// One schema step: `sql` brings the database from the previous version to `version`.
public struct Migration: Sendable, Hashable {
    /// The `PRAGMA user_version` recorded once `sql` has run; positive.
    public let version: Int
    /// The script to run, inside the migration's own transaction.
    public let sql: String

    /// Creates a migration to `version`.
    public init(version: Int, sql: String) {
        self.version = version
        self.sql = sql
    }
}
