import ArgumentParser
import Auth
import Gateway
import Storage

/// Opening the database and the master key the way every command does it.
enum GatewayStorage {
    /// Opens (creating if needed) and migrates the database; a corrupt file is refused, never recreated.
    static func open(_ path: String) throws -> Database {
        try Database.open(path: path, migrations: .gateway)
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
