import ArgumentParser
import Foundation
import Auth
import Gateway
import Storage

/// Opening the database and the master key the way every command does it.
enum GatewayStorage {
    /// Opens and migrates the database `location` names: a `postgresql://` URL (PostgreSQL, migrated under
    /// an advisory lock) or an SQLite file (created if needed; a corrupt file is refused, never recreated).
    static func open(_ location: String) throws -> Database {
        if Database.isPostgresURL(location) {
            return try Database.connect(url: location, migrations: .gateway)
        }
        return try Database.open(path: location, migrations: .gateway)
    }

    /// `--db` when given, else `WEAVR_GATEWAY_DATABASE_URL`; exits with a usage error when neither is.
    static func location(_ db: String?) throws -> String {
        if let db { return db }
        if let url = ProcessInfo.processInfo.environment["WEAVR_GATEWAY_DATABASE_URL"], !url.isEmpty { return url }
        throw ValidationError("--db FILE or --db postgresql://… (or WEAVR_GATEWAY_DATABASE_URL) is required")
    }

    /// The location for messages: a URL without its password.
    static func displayName(_ location: String) -> String {
        Database.isPostgresURL(location) ? Database.redacted(url: location) : location
    }

    /// The lock that makes this process the only one serving from the database at `path` (`ServeLock`), for
    /// `serve` and `demo`; keep it for the life of the process. When another process holds it, says so on
    /// standard error and exits 1.
    static func lockForServing(_ path: String) throws -> ServeLock {
        do {
            return try ServeLock.acquire(forDatabase: path)
        } catch {
            StandardError.write("weavr-gateway: cannot serve from \(path): \(error)\n")
            throw ExitCode(1)
        }
    }

    /// The master key from `--master-key-file`, else `GATEWAY_MASTER_KEY`.
    static func masterKey(file: String?) throws -> MasterKey {
        if let file { return try MasterKey.load(fileAt: file) }
        return try MasterKey.fromEnvironment()
    }
}
