import Storage

extension SQLAuditLog {
    /// Appends `entries` unless an earlier call with the same `key` already did: the key
    /// (table `audit_once`, schema version 7) and the rows are written in one write job, so
    /// concurrent or repeated calls record the event exactly once.
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

    public func isRecorded(key: String) async throws -> Bool {
        try await database.read { connection in
            try !connection.query("SELECT 1 FROM audit_once WHERE key = ?", [.text(key)]).isEmpty
        }
    }
}
