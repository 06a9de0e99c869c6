public import GatewayCore
public import Storage

/// `AuditLog` on the gateway's database, SQLite or PostgreSQL (schema version 5).
///
/// Every `append` is one `Database.write` job: it reads the head (seq and hash of the newest
/// row), chains and inserts the entries, and moves the head, all in the job's transaction.
/// The writer runs jobs one after another (and on PostgreSQL the batches of all instances
/// one after another, under the writer's advisory lock), so the chain is consistent, and
/// group commit lets concurrent appends share one transaction and one fsync.
///
/// The chain is a plain SHA-256 chain, not keyed: it detects rows edited, deleted, reordered
/// or cut off the tail by anyone who does not also recompute every later hash. Against an
/// attacker with write access who rewrites the whole chain, record `verify`'s head hash
/// somewhere else from time to time (`weavr-gateway audit verify` prints it).
public struct SQLAuditLog: AuditLog {
    /// Rows deleted per write job by `prune`, so one prune never holds the writer for long.
    public static let pruneBatchSize = 5_000
    /// Rows read per query by `verify`.
    static let verifyPageSize = 2_000

    let database: Database
    let clock: any WallClock

    static let columns = AuditRecord.fieldNames.joined(separator: ", ")
    static let insertSQL = """
        INSERT INTO audit_log (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// A log in `database`, timestamping rows with `clock`.
    public init(database: Database, clock: any WallClock = SystemWallClock()) {
        self.database = database
        self.clock = clock
    }

    @discardableResult
    public func append(_ entries: [AuditEntry]) async throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        let clock = self.clock
        return try await database.write { connection in
            try Self.insert(entries, time: clock.now, on: connection)
        }
    }

    /// Chains and inserts `entries` after the head and moves the head, on the writer connection
    /// inside the caller's write job; returns their seqs.
    ///
    /// Round trips: the head is read once per write transaction (later appends of the same batch take it
    /// from the writer's `WriteMemo`); on PostgreSQL the last row and the head move in one statement.
    public static func insert(_ entries: [AuditEntry], time: Int64, on connection: any SQLConnection) throws -> [Int64] {
        let remembered: ChainHead? = connection.writeMemo?[ChainHead.memoKey]
        var (seq, previousHash) = try remembered.map { ($0.seq, $0.hash) } ?? pointer("audit_head", on: connection)
        var seqs: [Int64] = []
        seqs.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            seq += 1
            let record = entry.record(seq: seq, time: time, previousHash: previousHash)
            if index == entries.count - 1, connection.dialect == .postgres {
                try connection.run(insertMovingHeadSQL, values(of: record))
            } else {
                try connection.run(insertSQL, values(of: record))
            }
            previousHash = record.hash
            seqs.append(seq)
        }
        if connection.dialect != .postgres {
            try connection.run("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", [.integer(seq), .text(previousHash)])
        }
        connection.writeMemo?[ChainHead.memoKey] = ChainHead(seq: seq, hash: previousHash)
        return seqs
    }

    /// PostgreSQL: the row and the head it becomes, in one statement (a data-modifying `WITH`); the head
    /// takes the row's own seq and hash (parameters 1 and 17).
    static let insertMovingHeadSQL = """
        WITH head AS (UPDATE audit_head SET seq = $1, hash = $17 WHERE id = 1)
        INSERT INTO audit_log (\(columns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
        """

    /// The chain's head as the current write transaction left it.
    struct ChainHead: Sendable {
        static let memoKey = "audit.head"
        var seq: Int64
        var hash: String
    }

    public func query(_ filter: AuditFilter, limit: Int = 100) async throws -> AuditPage {
        let limit = min(max(limit, 1), 1000)
        var conditions: [String] = []
        var values: [SQLValue] = []
        func add(_ condition: String, _ value: SQLValue) {
            conditions.append(condition)
            values.append(value)
        }
        if let tenant = filter.tenant { add("tenant = ?", .text(tenant)) }
        if let actor = filter.actor { add("actor = ?", .text(actor)) }
        if let action = filter.action {
            if action.hasSuffix(".*") {
                let prefix = String(action.dropLast())
                add("substr(action, 1, \(prefix.count)) = ?", .text(prefix))
            } else {
                add("action = ?", .text(action))
            }
        }
        if let target = filter.target { add("target = ?", .text(target)) }
        if let outcome = filter.outcome { add("outcome = ?", .text(outcome.rawValue)) }
        if let from = filter.from { add("time >= ?", .integer(from)) }
        if let to = filter.to { add("time < ?", .integer(to)) }
        if let afterSeq = filter.afterSeq { add("seq > ?", .integer(afterSeq)) }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        values.append(.integer(Int64(limit)))
        let arguments = values
        let records = try await database.read { connection in
            try connection.query(
                "SELECT \(Self.columns) FROM audit_log\(whereClause) ORDER BY seq LIMIT ?", arguments
            ).map { try Self.record(from: $0.values) }
        }
        return AuditPage(records: records, nextCursor: records.count == limit ? records.last?.seq : nil)
    }

    public func verify() async throws -> AuditVerification {
        try await database.readSnapshot { connection in
            try Self.verify(on: connection)
        }
    }

    /// `verify()` on `connection`, which must see one snapshot: a `readSnapshot` (e.g. while copying the
    /// database, so the chain checked is the one copied) or a write job.
    public static func verify(on connection: any SQLConnection) throws -> AuditVerification {
        let anchor = try Self.pointer("audit_anchor", on: connection)
        let head = try Self.pointer("audit_head", on: connection)
        var result = AuditVerification(
            ok: true, rows: 0, firstBadSeq: nil, reason: nil,
            anchorSeq: anchor.seq, anchorHash: anchor.hash, headSeq: head.seq, headHash: head.hash
        )
        func bad(_ seq: Int64, _ reason: String) -> AuditVerification {
            result.ok = false
            result.firstBadSeq = seq
            result.reason = reason
            return result
        }

        // One snapshot: rows, anchor and head agree; rows are read a page at a time.
        var walk = AuditChainWalk(anchorSeq: anchor.seq, anchorHash: anchor.hash)
        var after = Int64.min
        while true {
            let page = try connection.query(
                "SELECT \(Self.columns) FROM audit_log WHERE seq > ? ORDER BY seq LIMIT \(Self.verifyPageSize)", [.integer(after)]
            )
            for row in page {
                let record: AuditRecord
                do {
                    record = try Self.record(from: row.values)
                } catch {
                    return bad(row[0].int64Value ?? after, "row is malformed (a column has the wrong type)")
                }
                result.rows += 1
                if let (seq, reason) = walk.check(record) { return bad(seq, reason) }
                after = record.seq
            }
            if page.count < Self.verifyPageSize { break }
        }
        let expectedSeq = walk.expectedSeq
        let previousHash = walk.previousHash
        let lastSeq = expectedSeq - 1
        if head.seq > lastSeq {
            return bad(lastSeq + 1, "row \(lastSeq + 1) is missing: the head is at seq \(head.seq) (log truncated)")
        }
        if head.seq < lastSeq {
            return bad(head.seq + 1, "row \(head.seq + 1) is past the head (seq \(head.seq)): written outside the log")
        }
        if head.hash != previousHash {
            return bad(lastSeq, "the head's hash does not match row \(lastSeq)")
        }
        return result
    }

    public func prune(olderThan retention: Duration) async throws -> AuditPruneResult {
        let retentionMilliseconds = retention.components.seconds * 1000 + retention.components.attoseconds / 1_000_000_000_000_000
        let now = clock.now
        let cutoff = now - retentionMilliseconds
        var total = 0
        var anchorSeq: Int64 = 0
        while true {
            let (deleted, anchor) = try await database.write { connection in
                try Self.pruneBatch(before: cutoff, now: now, on: connection)
            }
            total += deleted
            anchorSeq = anchor
            if deleted < Self.pruneBatchSize { break }
        }
        return AuditPruneResult(rowsDeleted: total, anchorSeq: anchorSeq)
    }

    /// Deletes up to `pruneBatchSize` rows from the start of the log, stopping at the first
    /// row written at or after `cutoff`; the anchor moves to the last deleted row in the
    /// same savepoint. Returns the rows deleted and the anchor's seq.
    private static func pruneBatch(before cutoff: Int64, now: Int64, on connection: any SQLConnection) throws -> (Int, Int64) {
        let anchor = try pointer("audit_anchor", on: connection)
        let head = try pointer("audit_head", on: connection)
        let batchEnd = min(anchor.seq + Int64(pruneBatchSize), head.seq)
        // `+time`: scan by seq from the anchor, not the time index over every recent row.
        let firstRecent = try connection.query(
            "SELECT seq FROM audit_log WHERE seq > ? AND seq <= ? AND +time >= ? ORDER BY seq LIMIT 1",
            [.integer(anchor.seq), .integer(batchEnd), .integer(cutoff)]
        ).first?[0].int64Value
        let lastPruned = firstRecent.map { $0 - 1 } ?? batchEnd
        guard lastPruned > anchor.seq else { return (0, anchor.seq) }
        // Never prune away evidence: the rows to delete must chain correctly from the anchor.
        var walk = AuditChainWalk(anchorSeq: anchor.seq, anchorHash: anchor.hash)
        let doomed = try connection.query(
            "SELECT \(columns) FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq",
            [.integer(anchor.seq), .integer(lastPruned)]
        )
        for row in doomed {
            let record: AuditRecord
            do { record = try Self.record(from: row.values) } catch { throw AuditError.chainBroken(seq: row[0].int64Value ?? 0, reason: "row is malformed") }
            if let (seq, reason) = walk.check(record) { throw AuditError.chainBroken(seq: seq, reason: reason) }
        }
        if walk.expectedSeq <= lastPruned {
            throw AuditError.chainBroken(seq: walk.expectedSeq, reason: "row \(walk.expectedSeq) is missing")
        }
        let hash = walk.previousHash
        let deleted = try connection.run("DELETE FROM audit_log WHERE seq <= ?", [.integer(lastPruned)])
        try connection.run(
            "UPDATE audit_anchor SET seq = ?, hash = ?, pruned_at = ? WHERE id = 1",
            [.integer(lastPruned), .text(hash), .integer(now)]
        )
        return (deleted, lastPruned)
    }

    /// The seq and hash in the one row of `audit_head` or `audit_anchor`.
    private static func pointer(_ table: String, on connection: any SQLConnection) throws -> (seq: Int64, hash: String) {
        let rows = try connection.query("SELECT seq, hash FROM \(table) WHERE id = 1")
        guard let row = rows.first, let seq = row[0].int64Value, let hash = row[1].stringValue else {
            throw StorageError.corrupt
        }
        return (seq, hash)
    }

    static func values(of record: AuditRecord) -> [SQLValue] {
        func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
        func integer(_ value: Int64?) -> SQLValue { value.map(SQLValue.integer) ?? .null }
        return [
            .integer(record.seq), .integer(record.time), text(record.tenant), .text(record.actor), text(record.sessionHash),
            .text(record.action), text(record.target), .text(record.outcome), integer(record.httpStatus),
            integer(record.upstreamStatus), text(record.upstreamRequestRef), text(record.requestID), text(record.clientIP),
            text(record.userAgent), .text(record.details), .text(record.prevHash), .text(record.hash),
        ]
    }

    static func record(from values: [SQLValue]) throws -> AuditRecord {
        func text(_ index: Int) throws -> String? {
            switch values[index] {
            case .null: return nil
            case .text(let text): return text
            default: throw AuditError.malformedStoredRow(seq: values[0].int64Value ?? 0)
            }
        }
        func integer(_ index: Int) throws -> Int64? {
            switch values[index] {
            case .null: return nil
            case .integer(let integer): return integer
            default: throw AuditError.malformedStoredRow(seq: values[0].int64Value ?? 0)
            }
        }
        func required<T>(_ value: T?) throws -> T {
            guard let value else { throw AuditError.malformedStoredRow(seq: values[0].int64Value ?? 0) }
            return value
        }
        return AuditRecord(
            seq: try required(integer(0)), time: try required(integer(1)), tenant: try text(2), actor: try required(text(3)),
            sessionHash: try text(4), action: try required(text(5)), target: try text(6), outcome: try required(text(7)),
            httpStatus: try integer(8), upstreamStatus: try integer(9), upstreamRequestRef: try text(10),
            requestID: try text(11), clientIP: try text(12), userAgent: try text(13), details: try required(text(14)),
            prevHash: try required(text(15)), hash: try required(text(16))
        )
    }
}
