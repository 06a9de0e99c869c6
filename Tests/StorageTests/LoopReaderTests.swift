import NIOFreeHTTP
import Storage
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `Database.query` on the event loops' own PostgreSQL connections (`readOnEventLoops`, `PostgresLoopReader`):
/// the same rows as a reader thread's, each caller its own answer under concurrency, a statement's error for that
/// statement only, a killed connection replaced while the readers answer, and SQLite untouched. Needs PostgreSQL
/// (`eval "$(bash scripts/postgres.sh start)"`).
@Suite struct LoopReaderTests {
    /// A PostgreSQL database of `ItemsSchema` with rows of every value kind, read on two loops.
    private static func withLoopDatabase(_ body: (Database, EventLoopGroup) async throws -> Void) async throws {
        try await PostgresTestDatabase.with { postgres in
            let database = try await postgres.connect(migrations: ItemsSchema.migrations)
            let group = EventLoopGroup(threads: 2)
            defer {
                database.close()
                group.shutdown()
            }
            try await database.write { connection in
                for i in 1...50 {
                    try connection.run(
                        "INSERT INTO items (id, name, payload) VALUES (?, ?, ?)",
                        [.integer(Int64(i)), .text("item \(i) \"quoted\" é"), i % 5 == 0 ? .null : .blob([0, UInt8(i), 255])]
                    )
                }
            }
            database.readOnEventLoops(group.loops)
            try await waitUntil { database.eventLoopConnectionsUp == 4 }
            try await body(database, group)
        }
    }

    private static let select = "SELECT id, name, payload, CAST(id AS double precision) / 4 AS quarter FROM items WHERE id >= ? AND name <> ? ORDER BY id"

    @Test func answersAsAReaderDoesAndOnTheLoop() async throws {
        try await Self.withLoopDatabase { database, group in
            let values: [SQLValue] = [.integer(3), .text("item 7 \"quoted\" é")]
            let onReader = try await database.read { try $0.query(Self.select, values) }
            let before = database.eventLoopQueries
            let onLoop = try await database.query(Self.select, values)
            #expect(database.eventLoopQueries == before + 1)
            #expect(onLoop.count == 47)
            #expect(onLoop.map(\.values) == onReader.map(\.values))
            #expect(onLoop.first?["quarter"]?.doubleValue == 0.75)
            #expect(onLoop.first(where: { $0[0].int64Value == 10 })?[2] == .null)
            #expect(onLoop.first?[2] == .blob([0, 3, 255]))

            // Called from a task on a loop: that loop's connection, without leaving its thread.
            let loop = group.loops[1]
            let (onFirst, onSecond) = (database.eventLoopQueries(on: group.loops[0]), database.eventLoopQueries(on: loop))
            let fromLoop = try await Task(executorPreference: loop) {
                try await database.query("SELECT count(*) FROM items WHERE payload IS NULL", [])
            }.value
            #expect(fromLoop.first?[0].int64Value == 10)
            #expect(database.eventLoopQueries == before + 2)
            #expect(database.eventLoopQueries(on: loop) == onSecond + 1)
            #expect(database.eventLoopQueries(on: group.loops[0]) == onFirst)

            // Batches started on a loop run there (`eventLoopOfCaller`); started off the loops, on the global pool.
            #expect(database.eventLoopOfCaller == nil)
            let executorOnLoop = await Task(executorPreference: loop) { database.eventLoopOfCaller as? EventLoop }.value
            #expect(executorOnLoop === loop)
        }
    }

    @Test func concurrentCallersEachGetTheirOwnAnswer() async throws {
        try await Self.withLoopDatabase { database, group in
            let before = database.eventLoopQueries
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for i in 1...200 {
                    let loop = group.loops[i % 2]
                    let body: @concurrent @Sendable () async throws -> Void = {
                        let id = Int64(i % 50 + 1)
                        let rows = try await database.query("SELECT id, name FROM items WHERE id = ?", [.integer(id)])
                        #expect(rows.count == 1)
                        #expect(rows.first?[0].int64Value == id)
                        #expect(rows.first?[1].stringValue == "item \(id) \"quoted\" é")
                    }
                    if i % 3 == 0 {
                        tasks.addTask(executorPreference: loop, operation: body)
                    } else {
                        tasks.addTask(operation: body)
                    }
                }
                try await tasks.waitForAll()
            }
            #expect(database.eventLoopQueries == before + 200)
        }
    }

    @Test func aFailedStatementFailsAloneAndNewStatementsArePrepared() async throws {
        try await Self.withLoopDatabase { database, _ in
            await #expect(throws: StorageError.self) { _ = try await database.query("SELECT 1 / (id - id) FROM items", []) }
            await #expect(throws: StorageError.self) { _ = try await database.query("SELECT no_such_column FROM items", []) }
            let before = database.eventLoopQueries
            #expect(try await database.query("SELECT count(*) FROM items", []).first?[0].int64Value == 50)
            #expect(database.eventLoopQueries == before + 1)
            // More distinct statements than a session prepares (256): the rest run unprepared, each answered right.
            for i in 0..<300 {
                let rows = try await database.query("SELECT CAST(? AS bigint) + \(i)", [.integer(1000)])
                #expect(rows.first?[0].int64Value == Int64(1000 + i))
            }
            #expect(database.eventLoopQueries == before + 301)
        }
    }

    @Test func aKilledConnectionIsReplacedWhileReadersAnswer() async throws {
        try await Self.withLoopDatabase { database, _ in
            let killed = try await database.write { connection in
                try connection.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'weavr-gateway loop' AND datname = current_database()",
                    []
                ).count
            }
            #expect(killed == 4)
            // Every call is answered (by a reader while the loop's connection is down), and the loops reconnect.
            let before = database.eventLoopQueries
            try await waitUntil {
                let rows = (try? await database.query("SELECT count(*) FROM items", [])) ?? []
                #expect(rows.isEmpty || rows.first?[0].int64Value == 50)
                return database.eventLoopConnectionsUp == 4 && database.eventLoopQueries > before
            }
        }
    }

    @Test func aServerThatStopsAnsweringIsLeftAfterTheDeadline() async throws {
        try await PostgresTestDatabase.with { postgres in
            let database = try await postgres.connect(migrations: ItemsSchema.migrations, statementTimeout: .milliseconds(300))
            let group = EventLoopGroup(threads: 1)
            defer {
                database.close()
                group.shutdown()
            }
            database.readOnEventLoops(group.loops, connectionsPerLoop: 1)
            try await waitUntil { database.eventLoopConnectionsUp == 1 }
            let backends = try await database.write { connection in
                try connection.query(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = 'weavr-gateway loop' AND datname = current_database()", []
                ).compactMap { $0[0].int64Value }
            }
            let backend = try #require(backends.count == 1 ? pid_t(backends[0]) : nil)
            // The server stops answering without closing anything (its backend is stopped, not killed): PostgreSQL's
            // own statement timeout cannot fire, so only the gateway's deadline (twice that timeout) ends the wait.
            try #require(kill(backend, SIGSTOP) == 0, "cannot stop PostgreSQL backend \(backend): errno \(errno)")
            defer { kill(backend, SIGCONT) }
            let before = database.eventLoopQueries
            await #expect(throws: StorageError.unreachable) { _ = try await database.query("SELECT count(*) FROM items", []) }
            #expect(database.eventLoopQueries == before + 0)
            kill(backend, SIGCONT)
            // A new connection replaces it and answers.
            try await waitUntil {
                guard database.eventLoopConnectionsUp == 1 else { return false }
                let rows = try? await database.query("SELECT count(*) FROM items", [])
                return rows?.count == 1 && database.eventLoopQueries > before
            }
        }
    }

    @Test func sqliteReadsOnItsReaders() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        let group = EventLoopGroup(threads: 1)
        defer {
            database.close()
            group.shutdown()
        }
        database.readOnEventLoops(group.loops)
        try await database.write { try $0.run("INSERT INTO items (name) VALUES (?)", [.text("a")]) }
        #expect(try await database.query("SELECT name FROM items", []).first?[0].stringValue == "a")
        #expect(database.eventLoopQueries == 0)
        #expect(database.eventLoopConnectionsUp == 0)
    }
}
