/// One table as `DatabaseCopy` reads, writes and checks it: its columns by name and its primary key,
/// and the SQL for either engine.
struct CopyTable: Sendable, Hashable {
    /// The name in the source (SQLite).
    let name: String
    /// Every column, in the source's order.
    let columns: [String]
    /// The primary-key columns, in key order; pages are read `ORDER BY` them, after the last key read.
    let key: [String]

    /// Bound values a statement may carry: under SQLite's 32,766 and PostgreSQL's 65,535.
    static let maxBoundValues = 30_000

    /// Rows per page: `pageSize`, fewer for wide tables so one page is one `INSERT`.
    func pageRows(_ pageSize: Int) -> Int {
        max(1, min(pageSize, Self.maxBoundValues / max(1, columns.count)))
    }

    /// The positions of the key columns in a row of `columns`.
    var keyIndexes: [Int] {
        key.map { column in columns.firstIndex(of: column)! }
    }

    /// `name` as an identifier of `dialect`. PostgreSQL folds the unquoted names of the migrations to
    /// lower case, so they are quoted lower-cased there.
    static func identifier(_ name: String, _ dialect: SQLDialect) -> String {
        let folded = dialect == .postgres ? name.lowercased() : name
        return "\"" + folded.replacing("\"", with: "\"\"") + "\""
    }

    /// The page after `afterKey` (the first page when `false`): `LIMIT limit`, ordered by the key.
    func pageQuery(afterKey: Bool, limit: Int, _ dialect: SQLDialect) -> String {
        let list = columns.map { Self.identifier($0, dialect) }.joined(separator: ", ")
        let keyList = key.map { Self.identifier($0, dialect) }.joined(separator: ", ")
        var sql = "SELECT \(list) FROM \(Self.identifier(name, dialect))"
        if afterKey {
            let placeholders = Array(repeating: "?", count: key.count).joined(separator: ", ")
            sql += key.count == 1 ? " WHERE \(keyList) > ?" : " WHERE (\(keyList)) > (\(placeholders))"
        }
        return sql + " ORDER BY \(keyList) LIMIT \(limit)"
    }

    /// `INSERT` of `rows` rows of `columns`.
    func insertStatement(rows: Int, _ dialect: SQLDialect) -> String {
        let list = columns.map { Self.identifier($0, dialect) }.joined(separator: ", ")
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(Self.identifier(name, dialect)) (\(list)) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    // MARK: - Reading the source's schema

    /// The source's tables (SQLite: `sqlite_master` minus SQLite's own `sqlite_*`), ordered so that every
    /// table comes after the tables its foreign keys reference and after the tables whose triggers write
    /// into it (where the triggers allow; the copy's final check catches what a trigger changed anyway).
    static func tables(of connection: any SQLConnection) throws -> [CopyTable] {
        guard connection.dialect == .sqlite else { throw DatabaseCopyError.sourceNotSQLite }
        let names = try connection.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"
        ).compactMap { $0[0].stringValue }
        var tables: [String: CopyTable] = [:]
        var foreignKeys: [String: Set<String>] = [:]
        for name in names {
            let info = try connection.query("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", [.text(name)])
            let columns = info.compactMap { $0[0].stringValue }
            let key = info.filter { ($0[1].int64Value ?? 0) > 0 }
                .sorted { ($0[1].int64Value ?? 0) < ($1[1].int64Value ?? 0) }
                .compactMap { $0[0].stringValue }
            guard !key.isEmpty else { throw DatabaseCopyError.noPrimaryKey(table: name) }
            tables[name] = CopyTable(name: name, columns: columns, key: key)
            let referenced = try connection.query("SELECT \"table\" FROM pragma_foreign_key_list(?)", [.text(name)])
                .compactMap { $0[0].stringValue }
            foreignKeys[name] = Set(referenced.compactMap { table in names.first { $0.lowercased() == table.lowercased() } })
                .subtracting([name])
        }
        // A trigger on A that names table B (`UPDATE B …`) changes B when A is written: copy B after A.
        var written = foreignKeys
        for trigger in try connection.query("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'") {
            guard let on = trigger[0].stringValue, let sql = trigger[1].stringValue?.lowercased() else { continue }
            for name in names where name.lowercased() != on.lowercased() && sql.containsWord(name.lowercased()) {
                if let owner = names.first(where: { $0.lowercased() == on.lowercased() }) {
                    written[name, default: []].insert(owner)
                }
            }
        }
        let order = ordered(names, after: written) ?? ordered(names, after: foreignKeys)
        guard let order else { throw DatabaseCopyError.dependencyCycle(tables: names) }
        return order.map { tables[$0]! }
    }

    /// `names` with every name after the names in `after[name]`, otherwise in their given order; `nil`
    /// when `after` has a cycle.
    static func ordered(_ names: [String], after: [String: Set<String>]) -> [String]? {
        var remaining = names
        var placed: [String] = []
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { (after[$0] ?? []).isSubset(of: placed) }) else { return nil }
            placed.append(remaining.remove(at: next))
        }
        return placed
    }

    /// The columns the target's table has (names lower-cased), empty when it has no such table.
    func targetColumns(on connection: any SQLConnection) throws -> Set<String> {
        let rows = switch connection.dialect {
        case .postgres:
            try connection.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?",
                [.text(name.lowercased())]
            )
        case .sqlite:
            try connection.query("SELECT name FROM pragma_table_info(?)", [.text(name)])
        }
        return Set(rows.compactMap { $0[0].stringValue?.lowercased() })
    }
}

extension [UInt8] {
    fileprivate static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte >= 0x80
    }
}

extension String {
    /// `true` when `word` occurs with no identifier character right before or after it.
    fileprivate func containsWord(_ word: String) -> Bool {
        let text = Array(utf8)
        let needle = Array(word.utf8)
        guard !needle.isEmpty, text.count >= needle.count else { return false }
        for start in 0...(text.count - needle.count) where text[start..<(start + needle.count)].elementsEqual(needle) {
            let before = start == 0 || ![UInt8].isIdentifierByte(text[start - 1])
            let end = start + needle.count
            let after = end == text.count || ![UInt8].isIdentifierByte(text[end])
            if before && after { return true }
        }
        return false
    }
}
