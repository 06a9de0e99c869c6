import Storage
import Testing
import TestSupport

struct SQLiteConnectionTests {
    @Test func appliesPragmasOnOpen() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(
            path: directory.file("db.sqlite"),
            configuration: SQLiteConnection.Configuration(synchronous: .full, busyTimeoutMilliseconds: 1234)
        )
        defer { connection.close() }
        #expect(try connection.query("PRAGMA journal_mode")[0][0] == "wal")
        #expect(try connection.query("PRAGMA synchronous")[0][0] == 2)
        #expect(try connection.query("PRAGMA busy_timeout")[0][0] == 1234)
        #expect(try connection.query("PRAGMA foreign_keys")[0][0] == 1)
    }

    @Test(arguments: [
        SQLValue.null, .integer(Int64.min), .integer(42), .real(-0.5), .text(""), .text("héllo\u{0}wörld 🚀"),
        .blob([]), .blob([0, 1, 2, 255]),
    ])
    func roundTripsBoundValues(_ value: SQLValue) throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.file("db.sqlite"))
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (v)")
        try connection.run("INSERT INTO t (v) VALUES (?)", [value])
        #expect(try connection.query("SELECT v FROM t") == [Row(columnNames: ["v"], values: [value])])
    }

    @Test func reusesCachedStatementsResetAndUnbound() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.file("db.sqlite"))
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
        for value: Int64 in 1...3 {
            #expect(try connection.run("INSERT INTO t (v) VALUES (?)", [.integer(value)]) == 1)
            #expect(connection.lastInsertRowID == value)
        }

        let statement = try connection.statement("SELECT v FROM t WHERE id >= ? ORDER BY id")
        try statement.bind([2])
        #expect(try statement.step())
        #expect(statement.int64(at: 0) == 2)

        // Same SQL while the first is part way through: a separate statement.
        let nested = try connection.statement("SELECT v FROM t WHERE id >= ? ORDER BY id")
        #expect(nested !== statement)
        try nested.bind([3])
        #expect(try nested.step())
        #expect(nested.int64(at: 0) == 3)
        #expect(try statement.step())
        #expect(statement.int64(at: 0) == 3)
        statement.reset()

        let again = try connection.statement("SELECT v FROM t WHERE id >= ? ORDER BY id")
        #expect(again === statement)
        // Bindings were cleared: `id >= NULL` matches nothing.
        #expect(try !again.step())
    }

    @Test func constraintErrorNamesTheConstraintButNotTheValue() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.file("db.sqlite"))
        defer { connection.close() }
        try connection.execute("CREATE TABLE keys (secret TEXT UNIQUE CHECK (length(secret) > 3))")
        try connection.run("INSERT INTO keys VALUES (?)", ["sk_live_123"])

        for secret: SQLValue in ["sk_live_123", "sk"] {
            #expect {
                try connection.run("INSERT INTO keys VALUES (?)", [secret])
            } throws: { error in
                guard case StorageError.constraint(let message) = error else { return false }
                return message.contains("constraint failed") && !message.contains("sk_")
                    && !"\(error)".contains("sk_live")
            }
        }
    }

    @Test func readOnlyConnectionRefusesWrites() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")
        let writer = try SQLiteConnection(path: path)
        defer { writer.close() }
        try writer.execute("CREATE TABLE t (v)")
        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        defer { reader.close() }
        #expect(throws: StorageError.readOnly) { try reader.run("INSERT INTO t VALUES (1)") }
    }
}
