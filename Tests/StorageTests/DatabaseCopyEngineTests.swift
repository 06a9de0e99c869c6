import Storage
import Testing
import TestSupport

/// `DatabaseCopy` between two SQLite files (the PostgreSQL target is covered by the gateway's `db copy`
/// tests): pages, insertion order, values as they are, and a transaction that leaves a refused target as it was.
struct DatabaseCopyEngineTests {
    /// Created child first: the copy must find the order itself (foreign key, then the trigger's table).
    static let schema = """
        CREATE TABLE children (
            parent TEXT NOT NULL REFERENCES parents (id),
            day TEXT NOT NULL,
            n INTEGER NOT NULL,
            ratio REAL,
            PRIMARY KEY (parent, day, n)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE counter (id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1), generation INTEGER NOT NULL) STRICT;
        INSERT INTO counter (id, generation) VALUES (1, 0);
        CREATE TABLE parents (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, secret BLOB) STRICT;
        CREATE TRIGGER parents_inserted AFTER INSERT ON parents BEGIN UPDATE counter SET generation = generation + 1; END;
        """
    static let migrations: Migrations = [Migration(version: 1, sql: schema)]

    struct Refused: Error, Equatable {}

    let directory: TemporaryDirectory
    let source: Database

    init(sourceMigrations: Migrations = Self.migrations) async throws {
        directory = try TemporaryDirectory()
        source = try Database.open(path: directory.file("source.sqlite"), migrations: sourceMigrations)
        try await source.write { connection in
            for parent in 0..<30 {
                let secret: SQLValue = parent == 3 ? .null : .blob(parent == 4 ? [] : (0..<40).map { UInt8(truncatingIfNeeded: $0 * 37 + parent) })
                try connection.run("INSERT INTO parents (id, name, secret) VALUES (?, ?, ?)", [.text("p\(parent)"), .text("Ünïcode \(parent) ✓"), secret])
            }
            for child in 0..<100 {
                try connection.run(
                    "INSERT INTO children (parent, day, n, ratio) VALUES (?, ?, ?, ?)",
                    [.text("p\(child % 30)"), .text("2025-06-\(10 + child % 3)"), .integer(Int64(child)), child % 4 == 0 ? .null : .real(Double(child) / 3)]
                )
            }
        }
    }

    func openTarget(_ migrations: Migrations = Self.migrations) throws -> Database {
        try Database.open(path: directory.file("target-\(UInt32.random(in: 0...UInt32.max)).sqlite"), migrations: migrations)
    }

    static func rows(of table: String, in database: Database) async throws -> Set<[SQLValue]> {
        try await database.read { Set(try $0.query("SELECT * FROM \(table)").map(\.values)) }
    }

    @Test func copiesEveryRowOverManyPagesInDependencyOrder() async throws {
        let target = try openTarget()
        defer { target.close() }
        let (tables, snapshot) = try await DatabaseCopy(pageSize: 4).run(
            from: source, to: target,
            inSourceSnapshot: { try $0.query("SELECT generation FROM counter")[0][0] },
            checkTarget: { _ in }
        )
        #expect(tables.map(\.name) == ["parents", "children", "counter"])
        #expect(tables.map(\.rows) == [30, 100, 1])
        #expect(snapshot == .integer(30))
        for table in ["parents", "children", "counter"] {
            #expect(try await Self.rows(of: table, in: target) == Self.rows(of: table, in: source), "\(table)")
        }
        #expect(try await DatabaseCopy.rowCounts(of: ["parents", "children", "counter"], in: target) == [30, 100, 1])
    }

    @Test func aRefusedTargetIsLeftAsItWas() async throws {
        let target = try openTarget()
        defer { target.close() }
        await #expect(throws: Refused()) {
            try await DatabaseCopy(pageSize: 4).run(from: source, to: target, inSourceSnapshot: { _ in 0 }, checkTarget: { _ in throw Refused() })
        }
        // A refusal in the source's snapshot: the target's transaction never begins.
        await #expect(throws: Refused()) {
            try await DatabaseCopy(pageSize: 4).run(from: source, to: target, inSourceSnapshot: { _ in throw Refused() }, checkTarget: { _ in })
        }
        #expect(try await DatabaseCopy.rowCounts(of: ["parents", "children"], in: target) == [0, 0])
        #expect(try await Self.rows(of: "counter", in: target) == [[.integer(1), .integer(0)]])
    }

    @Test func aTargetWithoutAColumnIsRefusedAndLeftAsItWas() async throws {
        let narrower = Self.schema.replacing("    ratio REAL,\n", with: "")
        let target = try openTarget([Migration(version: 1, sql: narrower)])
        defer { target.close() }
        await #expect(throws: DatabaseCopyError.targetColumnMissing(table: "children", column: "ratio")) {
            try await DatabaseCopy().run(from: source, to: target, inSourceSnapshot: { _ in 0 }, checkTarget: { _ in })
        }
        #expect(try await Self.rows(of: "counter", in: target) == [[.integer(1), .integer(0)]])
    }

    @Test func aTableWithoutPrimaryKeyIsRefused() async throws {
        let keyless = Self.migrations.steps + [Migration(version: 2, sql: "CREATE TABLE loose (x TEXT);")]
        let copy = try await DatabaseCopyEngineTests(sourceMigrations: Migrations(keyless))
        let target = try copy.openTarget()
        defer { target.close() }
        await #expect(throws: DatabaseCopyError.noPrimaryKey(table: "loose")) {
            try await DatabaseCopy().run(from: copy.source, to: target, inSourceSnapshot: { _ in 0 }, checkTarget: { _ in })
        }
        #expect(try await DatabaseCopy.rowCounts(of: ["parents"], in: target) == [0])
    }
}
