import Audit
import GatewayCore
import Storage

/// The webhook receipts (dedup by `call-ref`, migration 11) and the per-tenant event log (migration 12) on the
/// gateway's database, both engines.
struct WeavrEventStore: Sendable {
    /// One event as `/v1/events` sends it.
    struct StoredEvent: Sendable, Equatable {
        var seq: Int64
        var tenantID: String
        var identityID: String?
        var kind: String
        var json: String
    }

    enum Receipt: Sendable, Equatable {
        /// Taken in: the event's seq in the log.
        case recorded(seq: Int64)
        /// This `call-ref` was taken in before: nothing written.
        case duplicate
    }

    let database: Database
    let clock: any WallClock
    /// The PostgreSQL notification channel of new events.
    static let channel = "weavr_events"

    /// Takes in one verified event: the receipt, the event row and (per the audit rule) its audit row, in one
    /// write job — all or nothing, and a second delivery of `callRef` (concurrent or later, any instance) writes
    /// nothing (the receipt's primary key decides).
    func record(tenantID: String, callRef: String, event: WeavrWebhookEvent, audit: AuditEntry?) async throws -> Receipt {
        let clock = self.clock
        let notifies = database.dialect == .postgres
        return try await database.write { connection in
            let now = clock.now
            let inserted = try connection.run(
                "INSERT INTO webhook_receipts (tenant_id, call_ref, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [.text(tenantID), .text(callRef), .integer(now)]
            )
            guard inserted == 1 else { return .duplicate }
            // One writer (and on PostgreSQL a cluster-wide lock per batch): seqs are given and committed in order.
            // Weavr names no owner on some card events: the identity the gateway saw owning the card, if any.
            var identityType = event.identityType
            var identityID = event.identityID
            if identityID == nil, let card = event.cardID, let owner = try CardOwners.owner(tenantID: tenantID, cardID: card, on: connection) {
                (identityType, identityID) = (owner.type, owner.id)
            }
            let head = try connection.query("UPDATE weavr_events_head SET seq = seq + 1 WHERE id = 1 RETURNING seq", [])
            guard let seq = head.first?[0].int64Value else { throw StorageError.corrupt }
            _ = try connection.run(
                """
                INSERT INTO weavr_events (seq, tenant_id, identity_type, identity_id, kind, data, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .integer(seq), .text(tenantID), identityType.map(SQLValue.text) ?? .null,
                    identityID.map(SQLValue.text) ?? .null, .text(event.kind.rawValue), .text(event.json), .integer(now),
                ]
            )
            if let audit { _ = try SQLAuditLog.insert([audit], time: now, on: connection) }
            // PostgreSQL: every instance's `LISTEN` hears of it once this commits (`WeavrEventHub`); a
            // notification inside a transaction is delivered at COMMIT and dropped on ROLLBACK.
            if notifies { _ = try connection.query("SELECT pg_notify(?, '')", [.text(WeavrEventStore.channel)]) }
            return .recorded(seq: seq)
        }
    }

    /// Events of `identityID` in `tenantID` after `seq`, oldest first, at most `limit`.
    func events(tenantID: String, identityID: String, after seq: Int64, limit: Int) async throws -> [StoredEvent] {
        try await database.read { connection in
            try connection.query(
                """
                SELECT seq, tenant_id, identity_id, kind, data FROM weavr_events
                WHERE tenant_id = ? AND identity_id = ? AND seq > ? ORDER BY seq LIMIT ?
                """,
                [.text(tenantID), .text(identityID), .integer(seq), .integer(Int64(limit))]
            ).map(Self.event)
        }
    }

    /// Every tenant's events after `seq`, oldest first (the fan-out's poll).
    func events(after seq: Int64, limit: Int) async throws -> [StoredEvent] {
        try await database.read { connection in
            try connection.query(
                "SELECT seq, tenant_id, identity_id, kind, data FROM weavr_events WHERE seq > ? ORDER BY seq LIMIT ?",
                [.integer(seq), .integer(Int64(limit))]
            ).map(Self.event)
        }
    }

    /// The newest seq (0 when the log is empty).
    func latestSeq() async throws -> Int64 {
        try await database.read { connection in
            try connection.query("SELECT COALESCE(MAX(seq), 0) FROM weavr_events", []).first?[0].int64Value ?? 0
        }
    }

    /// Deletes events and receipts received before now − `retention`; returns the events deleted.
    @discardableResult
    func prune(olderThan retention: Duration) async throws -> Int {
        let cutoff = clock.now - Int64(retention.components.seconds) * 1_000
        return try await database.write { connection in
            _ = try connection.run("DELETE FROM webhook_receipts WHERE received_at < ?", [.integer(cutoff)])
            return try connection.run("DELETE FROM weavr_events WHERE received_at < ?", [.integer(cutoff)])
        }
    }

    private static func event(_ row: Row) throws -> StoredEvent {
        guard let seq = row[0].int64Value, let tenant = row[1].stringValue, let kind = row[3].stringValue, let json = row[4].stringValue
        else { throw StorageError.corrupt }
        return StoredEvent(seq: seq, tenantID: tenant, identityID: row[2].stringValue, kind: kind, json: json)
    }
}
