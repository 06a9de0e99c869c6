import Audit
import Auth
import GatewayCore
import Storage

/// `IdempotencyStore` on the gateway's SQLite database (schema version 4, table `idempotency_keys`).
struct SQLIdempotencyStore: IdempotencyStore {
    /// How long a completed response is replayed. Default 24 h.
    static let retention: Int64 = 24 * 3_600_000
    /// An in-flight row older than this is taken for a crashed attempt and may be claimed again.
    static let abandonedAfter: Int64 = 60_000
    /// Expired rows deleted per claim, so purging never makes one write slow.
    static let purgeBatch = 32

    let database: Database
    let clock: any WallClock

    /// The claim's commit is not flushed on its own (`WriteDurability.withNextFlush`): the request's next flushed
    /// write flushes it — on an audited mutation the intent row, before Weavr is called; else the stored response,
    /// before the answer. An operating-system crash in between may forget the claim; the key then runs again on a
    /// retry, as an in-flight claim does anyway once `abandonedAfter` has passed, and the Weavr `idempotency-ref`
    /// (the same for every retry) keeps Weavr from doing the work twice. A process crash forgets nothing.
    func claim(_ scope: IdempotencyScope, fingerprint: [UInt8]) async throws -> IdempotencyClaim {
        let now = clock.now
        return try await database.write(durability: .withNextFlush) { connection in
            // The physical row id: SQLite's `rowid`, PostgreSQL's `ctid`.
            let rowID = connection.dialect == .sqlite ? "rowid" : "ctid"
            try connection.run(
                """
                DELETE FROM idempotency_keys WHERE \(rowID) IN (
                    SELECT \(rowID) FROM idempotency_keys WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)
                """,
                [.integer(now), .integer(Int64(Self.purgeBatch))]
            )
            try connection.run(
                """
                DELETE FROM idempotency_keys WHERE tenant_id = ?1 AND user_id = ?2 AND idempotency_key = ?3
                    AND (expires_at <= ?4 OR (state = 'in_flight' AND created_at <= ?4 - ?5))
                """,
                Self.keyValues(scope) + [.integer(now), .integer(Self.abandonedAfter)]
            )
            let inserted = try connection.run(
                """
                INSERT INTO idempotency_keys (tenant_id, user_id, idempotency_key, fingerprint, state, created_at, expires_at)
                VALUES (?1, ?2, ?3, ?4, 'in_flight', ?5, ?6)
                ON CONFLICT DO NOTHING
                """,
                Self.keyValues(scope) + [.blob(fingerprint), .integer(now), .integer(now + Self.retention)]
            )
            if inserted == 1 { return .acquired }
            guard let row = try connection.query(
                """
                SELECT fingerprint, state, status, content_type, location, body FROM idempotency_keys
                WHERE tenant_id = ?1 AND user_id = ?2 AND idempotency_key = ?3
                """,
                Self.keyValues(scope)
            ).first else { throw StorageError.corrupt }
            guard row[0].bytesValue == fingerprint else { return .keyReused }
            guard row[1].stringValue == "complete" else { return .inFlight }
            guard let status = row[2].int64Value, let body = row[5].bytesValue else { throw StorageError.corrupt }
            return .replay(IdempotentResponse(
                status: Int(status), contentType: row[3].stringValue, location: row[4].stringValue, body: body
            ))
        }
    }

    func complete(_ scope: IdempotencyScope, fingerprint: [UInt8], response: IdempotentResponse, auditing: [AuditEntry]) async throws {
        let now = clock.now
        try await database.write { connection in
            try connection.run(
                """
                UPDATE idempotency_keys SET state = 'complete', status = ?5, content_type = ?6, location = ?7, body = ?8
                WHERE tenant_id = ?1 AND user_id = ?2 AND idempotency_key = ?3 AND fingerprint = ?4 AND state = 'in_flight'
                """,
                Self.keyValues(scope) + [
                    .blob(fingerprint), .integer(Int64(response.status)),
                    response.contentType.map(SQLValue.text) ?? .null, response.location.map(SQLValue.text) ?? .null,
                    .blob(response.body),
                ]
            )
            if !auditing.isEmpty { _ = try SQLAuditLog.insert(auditing, time: now, on: connection) }
        }
    }

    func release(_ scope: IdempotencyScope, fingerprint: [UInt8], auditing: [AuditEntry]) async throws {
        let now = clock.now
        try await database.write { connection in
            try connection.run(
                """
                DELETE FROM idempotency_keys
                WHERE tenant_id = ?1 AND user_id = ?2 AND idempotency_key = ?3 AND fingerprint = ?4 AND state = 'in_flight'
                """,
                Self.keyValues(scope) + [.blob(fingerprint)]
            )
            if !auditing.isEmpty { _ = try SQLAuditLog.insert(auditing, time: now, on: connection) }
        }
    }

    private static func keyValues(_ scope: IdempotencyScope) -> [SQLValue] {
        [.text(scope.tenantID), .text(scope.userID), .text(scope.key)]
    }
}
