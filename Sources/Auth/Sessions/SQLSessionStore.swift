public import GatewayCore
public import Storage

/// `SessionStore` on the gateway's SQLite database (schema version 3).
///
/// The Weavr token is a `SecretBox` record with AAD `context("weavr-token", tenant, sid)`,
/// so a record moved to another session or tenant does not open.
public struct SQLSessionStore: SessionStore {
    private let database: Database
    private let secretBox: SecretBox
    private let lifetime: SessionLifetime
    private let clock: any WallClock

    static let columns = """
        sid, tenant_id, user_id, identity_type, identity_id, stepped_up_at, created_at, last_seen_at,
        idle_expires_at, absolute_expires_at, revoked_at
        """
    /// `?1` = sid, `?2` = tenant, `?3` = now.
    static let liveCondition = """
        sid = ?1 AND tenant_id = ?2 AND revoked_at IS NULL AND idle_expires_at > ?3 AND absolute_expires_at > ?3
        """

    /// A store over `database` sealing Weavr tokens with `secretBox`.
    public init(
        database: Database,
        secretBox: SecretBox,
        lifetime: SessionLifetime = SessionLifetime(),
        clock: any WallClock = SystemWallClock()
    ) {
        self.database = database
        self.secretBox = secretBox
        self.lifetime = lifetime
        self.clock = clock
    }

    static func tokenContext(tenantID: String, sid: String) -> [UInt8] {
        SecretBox.context("weavr-token", tenantID, sid)
    }

    public func create(tenantID: String, userID: String, identity: WeavrIdentity, weavrToken: String) async throws -> Session {
        // 128 bits from the CSPRNG (OWASP ASVS V3.2.2: at least 64 bits of entropy).
        let sid = try SecureRandom.hex(16)
        let now = clock.now
        let absolute = now + lifetime.absoluteLifetime
        let session = Session(
            sid: sid, tenantID: tenantID, userID: userID, identity: identity,
            createdAt: now, lastSeenAt: now,
            idleExpiresAt: min(now + lifetime.idleTimeout, absolute), absoluteExpiresAt: absolute
        )
        let sealed = try secretBox.seal(Array(weavrToken.utf8), aad: Self.tokenContext(tenantID: tenantID, sid: sid))
        try await database.write { connection in
            try connection.run(
                """
                INSERT INTO sessions (sid, tenant_id, user_id, identity_type, identity_id, weavr_token_sealed,
                    created_at, last_seen_at, idle_expires_at, absolute_expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(sid), .text(tenantID), .text(userID), .text(identity.type), .text(identity.id), .blob(sealed),
                    .integer(now), .integer(now), .integer(session.idleExpiresAt), .integer(absolute),
                ]
            )
        }
        return session
    }

    public func get(sid: String, tenantID: String) async throws -> Session? {
        let now = clock.now
        return try await database.read { connection in
            try connection.query(
                "SELECT \(Self.columns) FROM sessions WHERE \(Self.liveCondition)",
                [.text(sid), .text(tenantID), .integer(now)]
            ).first.map(Self.session(from:))
        }
    }

    /// Where `BatchedSessionReads` runs a batch started on the calling thread: its event loop, on PostgreSQL.
    public var batchExecutor: (any TaskExecutor)? { database.eventLoopOfCaller }

    /// `get` for several sessions in one query (`BatchedSessionReads`): the live session of each
    /// (sid, tenant) pair, in order, nil where there is none. The row must be the pair's tenant's.
    public func get(many keys: [(sid: String, tenantID: String)]) async throws -> [Session?] {
        guard !keys.isEmpty else { return [] }
        let now = clock.now
        let sids = Array(Set(keys.map(\.sid)))
        let placeholders = Array(repeating: "?", count: sids.count).joined(separator: ", ")
        // On PostgreSQL, on the calling event loop's own connection (`Database.query`): no reader thread.
        let rows = try await database.query(
            """
            SELECT \(Self.columns) FROM sessions
            WHERE sid IN (\(placeholders)) AND revoked_at IS NULL AND idle_expires_at > ? AND absolute_expires_at > ?
            """,
            sids.map(SQLValue.text) + [.integer(now), .integer(now)]
        )
        var live: [String: Session] = [:]
        for row in rows {
            let session = try Self.session(from: row)
            live[session.sid] = session
        }
        return keys.map { key in live[key.sid].flatMap { $0.tenantID == key.tenantID ? $0 : nil } }
    }

    public func touch(sid: String, tenantID: String) async throws -> Session? {
        let now = clock.now
        let idle = lifetime.idleTimeout
        return try await database.write { connection in
            // Sliding idle expiry, capped by the absolute expiry (OWASP Session Management
            // Cheat Sheet, "Idle Timeout" and "Absolute Timeout").
            guard try connection.run(
                """
                UPDATE sessions SET last_seen_at = ?3, idle_expires_at = CASE WHEN ?3 + ?4 < absolute_expires_at THEN ?3 + ?4 ELSE absolute_expires_at END
                WHERE \(Self.liveCondition)
                """,
                [.text(sid), .text(tenantID), .integer(now), .integer(idle)]
            ) == 1 else { return nil }
            return try Self.fetch(sid: sid, tenantID: tenantID, connection: connection)
        }
    }

    public func markSteppedUp(sid: String, tenantID: String, weavrToken: String?) async throws -> Session? {
        let now = clock.now
        let sealed = try weavrToken.map {
            try secretBox.seal(Array($0.utf8), aad: Self.tokenContext(tenantID: tenantID, sid: sid))
        }
        return try await database.write { connection in
            guard try connection.run(
                """
                UPDATE sessions SET stepped_up_at = ?3, weavr_token_sealed = coalesce(?4, weavr_token_sealed)
                WHERE \(Self.liveCondition)
                """,
                [.text(sid), .text(tenantID), .integer(now), sealed.map(SQLValue.blob) ?? .null]
            ) == 1 else { return nil }
            return try Self.fetch(sid: sid, tenantID: tenantID, connection: connection)
        }
    }

    public func revoke(sid: String, tenantID: String) async throws -> Bool {
        let now = clock.now
        return try await database.write { connection in
            try connection.run(
                "UPDATE sessions SET revoked_at = ?3 WHERE sid = ?1 AND tenant_id = ?2 AND revoked_at IS NULL",
                [.text(sid), .text(tenantID), .integer(now)]
            ) == 1
        }
    }

    public func revokeAll(tenantID: String) async throws -> Int {
        let now = clock.now
        return try await database.write { connection in
            try connection.run(
                """
                UPDATE sessions SET revoked_at = ?2
                WHERE tenant_id = ?1 AND revoked_at IS NULL AND idle_expires_at > ?2 AND absolute_expires_at > ?2
                """,
                [.text(tenantID), .integer(now)]
            )
        }
    }

    public func list(tenantID: String) async throws -> [Session] {
        let now = clock.now
        return try await database.read { connection in
            try connection.query(
                """
                SELECT \(Self.columns) FROM sessions
                WHERE tenant_id = ?1 AND revoked_at IS NULL AND idle_expires_at > ?2 AND absolute_expires_at > ?2
                ORDER BY created_at DESC, sid
                """,
                [.text(tenantID), .integer(now)]
            ).map(Self.session(from:))
        }
    }

    public func weavrToken(sid: String, tenantID: String) async throws -> String? {
        let now = clock.now
        let sealed = try await database.read { connection in
            try connection.query(
                "SELECT weavr_token_sealed FROM sessions WHERE \(Self.liveCondition)",
                [.text(sid), .text(tenantID), .integer(now)]
            ).first?[0].bytesValue
        }
        guard let sealed else { return nil }
        let plaintext = try secretBox.open(sealed, aad: Self.tokenContext(tenantID: tenantID, sid: sid))
        return String(decoding: plaintext, as: UTF8.self)
    }

    public func purge(before cutoff: Int64) async throws -> Int {
        try await database.write { connection in
            try connection.run(
                """
                DELETE FROM sessions
                WHERE revoked_at < ?1 OR idle_expires_at < ?1 OR absolute_expires_at < ?1
                """,
                [.integer(cutoff)]
            )
        }
    }

    private static func fetch(sid: String, tenantID: String, connection: any SQLConnection) throws -> Session? {
        try connection.query(
            "SELECT \(columns) FROM sessions WHERE sid = ? AND tenant_id = ?", [.text(sid), .text(tenantID)]
        ).first.map(session(from:))
    }

    private static func session(from row: Row) throws -> Session {
        guard let sid = row[0].stringValue, let tenantID = row[1].stringValue, let userID = row[2].stringValue,
              let identityType = row[3].stringValue, let identityID = row[4].stringValue,
              let createdAt = row[6].int64Value, let lastSeenAt = row[7].int64Value,
              let idleExpiresAt = row[8].int64Value, let absoluteExpiresAt = row[9].int64Value
        else { throw StorageError.corrupt }
        return Session(
            sid: sid, tenantID: tenantID, userID: userID,
            identity: WeavrIdentity(type: identityType, id: identityID),
            steppedUpAt: row[5].int64Value, createdAt: createdAt, lastSeenAt: lastSeenAt,
            idleExpiresAt: idleExpiresAt, absoluteExpiresAt: absoluteExpiresAt, revokedAt: row[10].int64Value
        )
    }
}
