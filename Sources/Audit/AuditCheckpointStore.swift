public import Storage

/// The signed checkpoints of the audit chain (`audit_checkpoint`, migration 13) and the chain head they sign.
public struct AuditCheckpointStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Seq and hash of the newest audit row (`audit_head`, moved in the same transaction as every append).
    public func head() async throws -> (seq: Int64, hash: String) {
        try await database.read { connection in
            let rows = try connection.query("SELECT seq, hash FROM audit_head WHERE id = 1", [])
            guard let row = rows.first, let seq = row[0].int64Value, let hash = row[1].stringValue else { throw StorageError.corrupt }
            return (seq, hash)
        }
    }

    /// Stores `checkpoint` durably; a second checkpoint of the same tree size is ignored (returns `false`).
    @discardableResult
    public func insert(_ checkpoint: AuditCheckpointRecord) async throws -> Bool {
        try await database.write { connection in
            try connection.run(
                "INSERT INTO audit_checkpoint (tree_size, root_hash, created_at, key_id, note) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING",
                [.integer(checkpoint.treeSize), .text(checkpoint.rootHash), .integer(checkpoint.createdAt), .text(checkpoint.keyID), .text(checkpoint.note)]
            ) == 1
        }
    }

    /// The newest checkpoint, or nil before the first.
    public func latest() async throws -> AuditCheckpointRecord? {
        try await list(before: nil, limit: 1).first
    }

    /// Up to `limit` checkpoints with a tree size below `before` (all when nil), newest first.
    public func list(before: Int64?, limit: Int) async throws -> [AuditCheckpointRecord] {
        let limit = Int64(min(max(limit, 1), 1000))
        return try await database.read { connection in
            let rows = try connection.query(
                "SELECT tree_size, root_hash, created_at, key_id, note FROM audit_checkpoint WHERE tree_size < ? ORDER BY tree_size DESC LIMIT ?",
                [.integer(before ?? Int64.max), .integer(limit)]
            )
            return try rows.map { row in
                guard let size = row[0].int64Value, let root = row[1].stringValue, let created = row[2].int64Value,
                    let key = row[3].stringValue, let note = row[4].stringValue
                else { throw StorageError.corrupt }
                return AuditCheckpointRecord(treeSize: size, rootHash: root, createdAt: created, keyID: key, note: note)
            }
        }
    }
}
