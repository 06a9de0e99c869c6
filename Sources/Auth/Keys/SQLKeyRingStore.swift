public import GatewayCore
public import Storage

/// `KeyRingStore` on the gateway's SQLite database (schema version 2).
///
/// Key bytes are `SecretBox` records under the master key's `token-signing` subkey with
/// AAD `context("signing-key", kid)`. A partial unique index keeps at most one key active.
public struct SQLKeyRingStore: KeyRingStore {
    private let database: Database
    private let secretBox: SecretBox
    private let clock: any WallClock

    /// A store over `database`; key bytes are sealed with the `token-signing` subkey of `masterKey`.
    public init(database: Database, masterKey: MasterKey, clock: any WallClock = SystemWallClock()) {
        self.init(database: database, secretBox: SecretBox(masterKey: masterKey, purpose: .tokenSigning), clock: clock)
    }

    /// A store over `database` sealing key bytes with `secretBox`.
    public init(database: Database, secretBox: SecretBox, clock: any WallClock = SystemWallClock()) {
        self.database = database
        self.secretBox = secretBox
        self.clock = clock
    }

    static func context(kid: String) -> [UInt8] {
        SecretBox.context("signing-key", kid)
    }

    public func ensureActiveKey() async throws -> SigningKeyInfo {
        if let active = try await list().first(where: { $0.state == .active }) { return active }
        let candidate = try newKey()
        return try await database.write { connection in
            // Another caller may have created one meanwhile; the writer serializes us.
            if let row = try connection.query(
                "SELECT kid, state, created_at, retired_at FROM signing_keys WHERE state = 'active'"
            ).first {
                return try Self.info(from: row)
            }
            return try Self.insert(candidate, into: connection)
        }
    }

    public func rotate() async throws -> SigningKeyInfo {
        let candidate = try newKey()
        return try await database.write { connection in
            try connection.run("UPDATE signing_keys SET state = 'verifying' WHERE state = 'active'")
            return try Self.insert(candidate, into: connection)
        }
    }

    public func retire(_ kid: String) async throws -> SigningKeyInfo {
        let now = clock.now
        return try await database.write { connection in
            guard let row = try connection.query(
                "SELECT kid, state, created_at, retired_at FROM signing_keys WHERE kid = ?", [.text(kid)]
            ).first else {
                throw KeyRingError.unknownKey(kid: kid)
            }
            var info = try Self.info(from: row)
            switch info.state {
            case .active:
                throw KeyRingError.activeKey(kid: kid)
            case .retired:
                return info
            case .verifying:
                // Erase the key bytes: a retired key can never verify again, even if re-enabled by hand.
                try connection.run(
                    "UPDATE signing_keys SET state = 'retired', key_sealed = NULL, retired_at = ? WHERE kid = ?",
                    [.integer(now), .text(kid)]
                )
                info.state = .retired
                info.retiredAt = now
                return info
            }
        }
    }

    public func list() async throws -> [SigningKeyInfo] {
        try await database.read { connection in
            try connection.query(
                "SELECT kid, state, created_at, retired_at FROM signing_keys ORDER BY created_at DESC"
            ).map(Self.info(from:))
        }
    }

    public func loadVerifyingKeys() async throws -> [SigningKey] {
        let rows = try await database.read { connection in
            try connection.query(
                "SELECT kid, state, created_at, retired_at, key_sealed FROM signing_keys WHERE state IN ('active', 'verifying')"
            )
        }
        return try rows.map { row in
            guard let sealed = row[4].bytesValue else { throw StorageError.corrupt }
            let info = try Self.info(from: row)
            let bytes = try secretBox.open(sealed, aad: Self.context(kid: info.kid))
            return SigningKey(info: info, material: SecretBytes(bytes))
        }
    }

    private func newKey() throws -> (info: SigningKeyInfo, sealed: [UInt8]) {
        // 48 random bits → 8 base64url characters; ids need only be unique, not secret. Never a leading `-`:
        // `keys retire -abc` would read as an option.
        var kid = Base64.urlEncode(try SecureRandom.bytes(6))
        while kid.hasPrefix("-") { kid = Base64.urlEncode(try SecureRandom.bytes(6)) }
        let material = try SecureRandom.bytes(32)
        let sealed = try secretBox.seal(material, aad: Self.context(kid: kid))
        return (SigningKeyInfo(kid: kid, state: .active, createdAt: clock.now), sealed)
    }

    /// Inserts the key as active; its `created_at` is later than every stored key's (by 1 ms when the clock
    /// has not moved), so "newest first" is `created_at` order on both engines. Returns what was stored.
    private static func insert(_ key: (info: SigningKeyInfo, sealed: [UInt8]), into connection: any SQLConnection) throws -> SigningKeyInfo {
        let latest = try connection.query("SELECT max(created_at) FROM signing_keys").first?[0].int64Value
        var info = key.info
        if let latest, latest >= info.createdAt { info.createdAt = latest + 1 }
        try connection.run(
            "INSERT INTO signing_keys (kid, state, key_sealed, created_at) VALUES (?, 'active', ?, ?)",
            [.text(info.kid), .blob(key.sealed), .integer(info.createdAt)]
        )
        return info
    }

    private static func info(from row: Row) throws -> SigningKeyInfo {
        guard let kid = row[0].stringValue, let state = row[1].stringValue.flatMap(SigningKeyState.init(rawValue:)),
              let createdAt = row[2].int64Value
        else { throw StorageError.corrupt }
        return SigningKeyInfo(kid: kid, state: state, createdAt: createdAt, retiredAt: row[3].int64Value)
    }
}
