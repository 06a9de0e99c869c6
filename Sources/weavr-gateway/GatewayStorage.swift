import Auth
import Storage

/// Opening the database and the master key the way every command does it.
enum GatewayStorage {
    /// Opens (creating if needed) and migrates the database; a corrupt file is refused, never recreated.
    static func open(_ path: String) throws -> Database {
        try Database.open(path: path, migrations: .gateway)
    }

    /// The master key from `--master-key-file`, else `GATEWAY_MASTER_KEY`.
    static func masterKey(file: String?) throws -> MasterKey {
        if let file { return try MasterKey.load(fileAt: file) }
        return try MasterKey.fromEnvironment()
    }
}
