import Auth
import GatewayCore
import Storage

/// The separate, short-lived Weavr sessions the gateway makes for one card reveal (docs/ARCHITECTURE.md,
/// "Revealing card details"): the token is kept sealed until it expires, then `RevealReaper` logs it out at
/// Weavr and deletes the row. Durable, so a crash between the reveal and the logout loses no token: the next
/// pass of any instance logs it out.
struct RevealSessions: Sendable {
    /// A reveal session due for logout.
    struct Due: Sendable, Equatable {
        var id: String
        var tenantID: String
        var weavrToken: String
        var attempts: Int
    }

    let database: Database
    let secretBox: SecretBox
    let clock: any WallClock

    static func tokenContext(tenantID: String, id: String) -> [UInt8] {
        SecretBox.context("reveal-token", tenantID, id)
    }

    /// Records a reveal session of `userID` for `cardID` that expires at `expiresAt` (ms); returns its id.
    func record(tenantID: String, userID: String, cardID: String, weavrToken: String, expiresAt: Int64) async throws -> String {
        let id = try SecureRandom.hex(16)
        let sealed = try secretBox.seal(Array(weavrToken.utf8), aad: Self.tokenContext(tenantID: tenantID, id: id))
        let now = clock.now
        try await database.write { connection in
            _ = try connection.run(
                """
                INSERT INTO reveal_sessions (id, tenant_id, user_id, card_id, weavr_token_sealed, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(id), .text(tenantID), .text(userID), .text(cardID), .blob(sealed), .integer(now), .integer(expiresAt)]
            )
        }
        return id
    }

    /// Reveal sessions of `userID` not yet logged out (expired or not).
    func openCount(tenantID: String, userID: String) async throws -> Int {
        try await database.read { connection in
            let rows = try connection.query(
                "SELECT count(*) FROM reveal_sessions WHERE tenant_id = ? AND user_id = ?", [.text(tenantID), .text(userID)]
            )
            return Int(rows.first?[0].int64Value ?? 0)
        }
    }

    /// Up to `limit` sessions whose expiry has passed, oldest first. A record that no longer opens (its key is
    /// gone) is returned with an empty token: it can only be deleted.
    func due(limit: Int = 100) async throws -> [Due] {
        let now = clock.now
        let rows = try await database.read { connection in
            try connection.query(
                "SELECT id, tenant_id, weavr_token_sealed, attempts FROM reveal_sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?",
                [.integer(now), .integer(Int64(limit))]
            )
        }
        return rows.compactMap { row in
            guard let id = row[0].stringValue, let tenantID = row[1].stringValue else { return nil }
            let token = (row[2].bytesValue).flatMap { try? secretBox.open($0, aad: Self.tokenContext(tenantID: tenantID, id: id)) }
            return Due(id: id, tenantID: tenantID, weavrToken: token.map { String(decoding: $0, as: UTF8.self) } ?? "", attempts: Int(row[3].int64Value ?? 0))
        }
    }

    /// Deletes a session once Weavr logged it out (or it can never be).
    func remove(id: String) async throws {
        try await database.write { connection in
            _ = try connection.run("DELETE FROM reveal_sessions WHERE id = ?", [.text(id)])
        }
    }

    /// Counts a failed logout; the next pass tries again.
    func recordFailedAttempt(id: String) async throws {
        try await database.write { connection in
            _ = try connection.run("UPDATE reveal_sessions SET attempts = attempts + 1 WHERE id = ?", [.text(id)])
        }
    }
}
