public import Storage

extension SQLiteAuditLog {
    /// Appends `entries` unless an earlier call with the same `key` already did: the key
    /// (table `audit_once`, schema version 7) and the rows are written in one write job, so
    /// concurrent or repeated calls record the event exactly once. Returns the seqs written,
    /// empty when the key was already recorded.
    ///
    /// Used for events the gateway learns about by observation rather than by acting, such as
    /// the per-operation outcomes of a finished bulk process (`tenant:bulk:<id>`).
    @discardableResult
    public func appendOnce(key: String, _ entries: [AuditEntry]) async throws -> [Int64] {
        let clock = self.clock
        return try await database.write { connection in
            let time = clock.now
            let inserted = try connection.run(
                "INSERT INTO audit_once (key, recorded_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                [.text(key), .integer(time)]
            )
            guard inserted == 1 else { return [] }
            return try Self.insert(entries, time: time, on: connection)
        }
    }

    /// `true` when `appendOnce(key:)` has recorded `key`.
    public func isRecorded(key: String) throws -> Bool {
        try database.read { connection in
            try !connection.query("SELECT 1 FROM audit_once WHERE key = ?", [.text(key)]).isEmpty
        }
    }
}
