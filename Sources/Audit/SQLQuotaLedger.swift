public import GatewayCore
public import Storage

/// `QuotaLedger` on the gateway's SQLite database (schema version 6, `quota_usage`).
///
/// The check and the increment are one `Database.write` job: the single writer runs jobs
/// one at a time, so N concurrent calls against a limit of L allow exactly min(N, L).
/// The caller resumes after the commit (durable with `synchronous=FULL`).
public struct SQLQuotaLedger: QuotaLedger {
    private let database: Database
    private let clock: any WallClock

    /// A ledger in `database`; "today" comes from `clock`.
    public init(database: Database, clock: any WallClock = SystemWallClock()) {
        self.database = database
        self.clock = clock
    }

    public func consume(
        tenant: String, operation: QuotaOperation, amount: Int = 1, limit: Int, day: UTCDay? = nil
    ) async throws -> QuotaDecision {
        precondition(amount >= 0 && limit >= 0, "quota amounts and limits are not negative")
        let day = day ?? UTCDay(containing: clock.now)
        return try await database.write { connection in
            try Self.consume(tenant: tenant, operation: operation, amount: amount, limit: limit, day: day, on: connection)
        }
    }

    /// `consume` on the writer connection inside the caller's write job (`SQLMutationJournal` takes a
    /// mutation's charges and writes its intent row in one job).
    static func consume(
        tenant: String, operation: QuotaOperation, amount: Int, limit: Int, day: UTCDay, on connection: any SQLConnection
    ) throws -> QuotaDecision {
        let key: [SQLValue] = [.text(tenant), .text(day.description), .text(operation.rawValue)]
        func refused(_ used: Int) -> QuotaDecision {
            QuotaDecision(allowed: false, used: used, limit: limit, remaining: max(0, limit - used), resetAt: day.endMilliseconds)
        }
        guard amount > 0 else {
            let used = try Self.used(key, on: connection)
            return used > limit ? refused(used) : QuotaDecision(
                allowed: true, used: used, limit: limit, remaining: max(0, limit - used), resetAt: day.endMilliseconds
            )
        }
        guard amount <= limit else { return refused(try Self.used(key, on: connection)) }
        // One statement in the common case: add `amount` unless that would pass `limit`. The writer
        // serialises consumes (one writer per instance, one lock across instances), so the count is exact.
        let counted = try connection.query(
            """
            INSERT INTO quota_usage (tenant, day, operation, used) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (tenant, day, operation) DO UPDATE SET used = quota_usage.used + excluded.used
            WHERE quota_usage.used + excluded.used <= ?5
            RETURNING used
            """,
            key + [.integer(Int64(amount)), .integer(Int64(limit))]
        )
        guard let used = counted.first?[0].int64Value else { return refused(try Self.used(key, on: connection)) }
        let now = Int(used)
        return QuotaDecision(allowed: true, used: now, limit: limit, remaining: max(0, limit - now), resetAt: day.endMilliseconds)
    }

    @discardableResult
    public func release(tenant: String, operation: QuotaOperation, amount: Int = 1, day: UTCDay? = nil) async throws -> Int {
        precondition(amount >= 0, "quota amounts are not negative")
        let day = day ?? UTCDay(containing: clock.now)
        let key: [SQLValue] = [.text(tenant), .text(day.description), .text(operation.rawValue)]
        return try await database.write { connection in
            try connection.run(
                "UPDATE quota_usage SET used = CASE WHEN used > ?1 THEN used - ?1 ELSE 0 END WHERE tenant = ?2 AND day = ?3 AND operation = ?4",
                [.integer(Int64(amount))] + key
            )
            return try Self.used(key, on: connection)
        }
    }

    public func usage(tenant: String, day: UTCDay? = nil) async throws -> [QuotaOperation: Int] {
        let day = day ?? UTCDay(containing: clock.now)
        let rows = try await database.read { connection in
            try connection.query(
                "SELECT operation, used FROM quota_usage WHERE tenant = ? AND day = ?",
                [.text(tenant), .text(day.description)]
            )
        }
        var usage = Dictionary(uniqueKeysWithValues: QuotaOperation.counted.map { ($0, 0) })
        for row in rows {
            if let name = row[0].stringValue, let operation = QuotaOperation(rawValue: name), let used = row[1].int64Value {
                usage[operation] = Int(used)
            }
        }
        return usage
    }

    /// Deletes the counters of days before `day` (they no longer limit anything); returns rows deleted.
    @discardableResult
    public func prune(before day: UTCDay) async throws -> Int {
        // `YYYY-MM-DD` text sorts in date order.
        try await database.write { connection in
            try connection.run("DELETE FROM quota_usage WHERE day < ?", [.text(day.description)])
        }
    }

    private static func used(_ key: [SQLValue], on connection: any SQLConnection) throws -> Int {
        let rows = try connection.query("SELECT used FROM quota_usage WHERE tenant = ? AND day = ? AND operation = ?", key)
        return Int(rows.first?[0].int64Value ?? 0)
    }
}
