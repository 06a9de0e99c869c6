/// The ordered schema history of a database, recorded in `PRAGMA user_version`.
///
/// Each module owns the migrations of its own tables, with fixed version numbers
/// (`Migrations.auth`, `.audit`, …); an application opens its database with their
/// combination (`init(combining:)`).
///
/// Each pending migration runs in its own `BEGIN IMMEDIATE` transaction together with the
/// `user_version` update, so a crash leaves the database at the previous version.
public struct Migrations: Sendable {
    /// The migrations, by strictly increasing version.
    public let steps: [Migration]

    /// Creates the history; versions must be positive and strictly increasing.
    public init(_ steps: [Migration]) {
        precondition(steps.allSatisfy { $0.version > 0 }, "migration versions start at 1")
        precondition(
            zip(steps, steps.dropFirst()).allSatisfy { $0.version < $1.version },
            "migration versions must be strictly increasing"
        )
        self.steps = steps
    }

    /// The version a fully migrated database has; 0 when there are no migrations.
    public var latestVersion: Int {
        steps.last?.version ?? 0
    }

    /// Brings the database of `connection` up to `latestVersion`; returns the versions applied.
    ///
    /// Throws `StorageError.schemaTooNew` without touching anything when the database is
    /// newer than this history.
    @discardableResult
    public func apply(to connection: SQLiteConnection) throws -> [Int] {
        let currentVersion = try Self.userVersion(of: connection)
        guard currentVersion <= latestVersion else {
            throw StorageError.schemaTooNew(databaseVersion: currentVersion, latestKnownVersion: latestVersion)
        }
        var applied: [Int] = []
        for migration in steps where migration.version > currentVersion {
            try connection.execute("BEGIN IMMEDIATE")
            do {
                // Another process may have migrated while we waited for the write lock.
                if try Self.userVersion(of: connection) < migration.version {
                    try connection.execute(migration.sql)
                    try connection.execute("PRAGMA user_version = \(migration.version)")
                    applied.append(migration.version)
                }
                try connection.execute("COMMIT")
            } catch {
                if connection.isInTransaction {
                    try? connection.execute("ROLLBACK")
                }
                throw error
            }
        }
        return applied
    }

    /// The `PRAGMA user_version` of the database of `connection`.
    public static func userVersion(of connection: SQLiteConnection) throws -> Int {
        let rows = try connection.query("PRAGMA user_version")
        return Int(rows.first?[0].int64Value ?? 0)
    }
}
