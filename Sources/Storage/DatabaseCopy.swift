/// Copies every table of an SQLite database into another database with the same schema (PostgreSQL,
/// or another SQLite file), in one transaction of the target, and checks what arrived.
///
/// - The source is read in one snapshot (`readSnapshot`): a gateway writing to it meanwhile cannot make
///   the copy inconsistent. Its tables come from `sqlite_master` (SQLite's own `sqlite_*` excepted), their
///   columns by name; each table is read a page at a time by primary key, so a table of millions of rows
///   is never held in memory.
/// - The target is written by one `write` job, which is one transaction: `checkTarget` runs first (refuse
///   a target that holds data), then the rows the target already has in the copied tables (the singleton
///   rows its migrations seeded) are deleted and the source's rows inserted, in foreign-key order. Values
///   go across as they are: BLOBs byte for byte, nothing decrypted or re-encoded.
/// - Before that job returns, every table is read back in the same transaction and compared with the
///   source: row count and a digest of every value. Any difference, or any error, throws from the job and
///   rolls its transaction back: the target is left as it was.
///
/// The source's reader thread hands pages to the target's writer thread through a queue of a few pages.
/// PostgreSQL sequences are not advanced: the schema has none (the stores assign every key).
public struct DatabaseCopy: Sendable {
    /// A copied table and its rows in the source's snapshot (now also in the target).
    public struct Table: Sendable, Hashable {
        public let name: String
        public let rows: Int

        public init(name: String, rows: Int) {
            self.name = name
            self.rows = rows
        }
    }

    /// Rows per page read, inserted and read back (fewer for wide tables). Default 500.
    public var pageSize: Int
    /// Pages waiting between the source's reader and the target's writer. Default 4.
    public var queuedPages = 4

    public init(pageSize: Int = 500) {
        precondition(pageSize > 0, "pages hold at least one row")
        self.pageSize = pageSize
    }

    /// Copies `source` (SQLite) into `target`; returns the tables in copy order with their row counts,
    /// and what `inSourceSnapshot` returned.
    ///
    /// `inSourceSnapshot` runs first in the source's snapshot (its rows are the ones copied): read what
    /// must be compared later, or throw to refuse the source. `checkTarget` runs first in the target's
    /// transaction: throw to refuse the target. Their errors are rethrown as they are; a copy that
    /// arrives different throws `DatabaseCopyError`.
    public func run<Snapshot: Sendable>(
        from source: Database,
        to target: Database,
        inSourceSnapshot: @escaping @Sendable (any SQLConnection) throws -> Snapshot,
        checkTarget: @escaping @Sendable (any SQLConnection) throws -> Void
    ) async throws -> (tables: [Table], snapshot: Snapshot) {
        let channel = CopyChannel<Snapshot>(capacity: queuedPages)
        let pageSize = self.pageSize
        async let reading: Void = Self.read(source, into: channel, pageSize: pageSize, inSnapshot: inSourceSnapshot)
        // The target's transaction begins once `inSourceSnapshot` is done (it may walk a long audit chain):
        // PostgreSQL ends a session idle in a transaction for a minute.
        let written: Result<([Table], Snapshot), any Error>
        if let failure = await channel.waitUntilStarted() {
            written = .failure(failure)
        } else {
            written = await Self.write(from: channel, to: target, pageSize: pageSize, checkTarget: checkTarget)
        }
        do {
            try await reading
        } catch {
            // The reader failed the channel with it, so the writer threw it too (or failed first):
            // `written` holds the error to report.
        }
        let (tables, snapshot) = try written.get()
        return (tables, snapshot)
    }

    /// Runs the copy's one write job on `target`.
    private static func write<Snapshot: Sendable>(
        from channel: CopyChannel<Snapshot>,
        to target: Database,
        pageSize: Int,
        checkTarget: @escaping @Sendable (any SQLConnection) throws -> Void
    ) async -> Result<([Table], Snapshot), any Error> {
        do {
            return .success(try await target.write { connection in
                do {
                    return try Self.write(from: channel, on: connection, pageSize: pageSize, checkTarget: checkTarget)
                } catch {
                    channel.fail(error)
                    throw error
                }
            })
        } catch {
            // Also when the job never ran (queue full, database closed): the reader must not wait for it.
            channel.fail(error)
            return .failure(error)
        }
    }

    /// The row counts of `tables` in `database`, in order (one snapshot).
    public static func rowCounts(of tables: [String], in database: Database) async throws -> [Int] {
        let dialect = database.dialect
        return try await database.readSnapshot { connection in
            try tables.map { table in
                Int(try connection.query("SELECT count(*) FROM \(CopyTable.identifier(table, dialect))").first?[0].int64Value ?? -1)
            }
        }
    }

    // MARK: - The source's reader thread

    private static func read<Snapshot: Sendable>(
        _ source: Database,
        into channel: CopyChannel<Snapshot>,
        pageSize: Int,
        inSnapshot: @escaping @Sendable (any SQLConnection) throws -> Snapshot
    ) async throws {
        do {
            try await source.readSnapshot { connection in
                do {
                    let snapshot = try inSnapshot(connection)
                    let tables = try CopyTable.tables(of: connection)
                    try channel.send(.start(tables, snapshot))
                    for (index, table) in tables.enumerated() {
                        var digest = TableDigest()
                        try forEachPage(of: table, on: connection, pageSize: pageSize) { rows in
                            for row in rows { digest.add(row) }
                            try channel.send(.rows(index: index, rows))
                        }
                        try channel.send(.end(index: index, digest))
                    }
                    try channel.send(.finished)
                } catch {
                    channel.fail(error)
                    throw error
                }
            }
        } catch {
            // Also when the read never ran (no reader free, database closed): the writer must not wait for it.
            channel.fail(error)
            throw error
        }
    }

    /// Calls `body` with each page of `table`'s rows (values in `table.columns` order), by key.
    private static func forEachPage(
        of table: CopyTable, on connection: any SQLConnection, pageSize: Int, _ body: ([[SQLValue]]) throws -> Void
    ) throws {
        let limit = table.pageRows(pageSize)
        let keyIndexes = table.keyIndexes
        var after: [SQLValue]?
        while true {
            let rows = try connection.query(table.pageQuery(afterKey: after != nil, limit: limit, connection.dialect), after ?? [])
                .map(\.values)
            if !rows.isEmpty { try body(rows) }
            guard rows.count == limit, let last = rows.last else { return }
            after = keyIndexes.map { last[$0] }
        }
    }

    // MARK: - The target's writer thread

    private static func write<Snapshot: Sendable>(
        from channel: CopyChannel<Snapshot>,
        on connection: any SQLConnection,
        pageSize: Int,
        checkTarget: @Sendable (any SQLConnection) throws -> Void
    ) throws -> ([Table], Snapshot) {
        try checkTarget(connection)
        guard case .start(let tables, let snapshot) = try channel.receive() else {
            preconditionFailure("the copy's reader sends .start first")
        }
        let dialect = connection.dialect
        for table in tables {
            let columns = try table.targetColumns(on: connection)
            guard !columns.isEmpty else { throw DatabaseCopyError.targetTableMissing(table: table.name) }
            if let missing = table.columns.first(where: { !columns.contains($0.lowercased()) }) {
                throw DatabaseCopyError.targetColumnMissing(table: table.name, column: missing)
            }
        }
        // The rows the target's migrations seeded (audit head and anchor, change counter): replaced.
        for table in tables.reversed() {
            try connection.run("DELETE FROM \(CopyTable.identifier(table.name, dialect))")
        }
        var sourceDigests = [TableDigest?](repeating: nil, count: tables.count)
        receiving: while true {
            switch try channel.receive() {
            case .rows(let index, let rows):
                let table = tables[index]
                try connection.run(table.insertStatement(rows: rows.count, dialect), rows.flatMap { $0 })
            case .end(let index, let digest):
                sourceDigests[index] = digest
            case .finished:
                break receiving
            case .start:
                preconditionFailure("the copy's reader sends .start once")
            }
        }
        // Read everything back in this transaction: what commits is what the source had.
        var copied: [Table] = []
        for (index, table) in tables.enumerated() {
            var digest = TableDigest()
            try forEachPage(of: table, on: connection, pageSize: pageSize) { rows in
                for row in rows { digest.add(row) }
            }
            let expected = sourceDigests[index] ?? TableDigest()
            guard digest == expected else {
                throw DatabaseCopyError.contentMismatch(table: table.name, sourceRows: expected.rows, targetRows: digest.rows)
            }
            copied.append(Table(name: table.name, rows: digest.rows))
        }
        return (copied, snapshot)
    }
}
