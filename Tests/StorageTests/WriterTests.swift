import Foundation
import Storage
import Synchronization
import Testing
import TestSupport

struct WriterTests {
    /// The address of a local of the caller's frame: the same call at the same depth gives the same address.
    private static func stackAddress() -> UInt {
        var marker = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// The commit observer and the failure observer are called at the same stack depth every time. Each once sat
    /// in a `Mutex` as a bare closure, which every read wrapped in two more thunks: the commit observer's call
    /// went two frames deeper with every commit, until the writer thread's stack would overflow.
    @Test func observersAreCalledAtTheSameDepthEveryTime() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        let commits = Mutex<[UInt]>([])
        let failures = Mutex<[UInt]>([])
        database.observeCommits { _ in
            let address = Self.stackAddress()
            commits.withLock { $0.append(address) }
        }
        database.observeWriteFailures { _ in
            let address = Self.stackAddress()
            failures.withLock { $0.append(address) }
        }
        for index in 0..<300 { try await ItemsSchema.insert("item-\(index)", into: database) }
        database.close()
        for index in 0..<300 {
            await #expect(throws: StorageError.closed) { try await ItemsSchema.insert("late-\(index)", into: database) }
        }

        for (name, addresses) in [("commit", commits.withLock { $0 }), ("failure", failures.withLock { $0 })] {
            #expect(addresses.count == 300, "\(name) observer calls")
            let spread = (addresses.max() ?? 0) - (addresses.min() ?? 0)
            // Two thunk frames per call would be at least 300 × 32 bytes apart by the last call.
            #expect(spread < 1024, "the \(name) observer's frame moved \(spread) bytes down the stack over 300 calls")
        }
    }

    @Test func batchesConcurrentWritesIntoOneTransaction() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        defer { database.close() }

        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { try await ItemsSchema.insert("item-\(index)", into: database) }
            }
            try await group.waitForAll()
        }

        let statistics = database.statistics
        print("group commit, 200 concurrent writes in", ContinuousClock.now - started, statistics)
        #expect(statistics.jobsCommitted == 200)
        #expect(statistics.transactionsCommitted < 100)
        #expect(statistics.largestBatch > 1)
        #expect(try await ItemsSchema.count(in: database) == 200)
    }

    @Test func commitsOneTransactionPerJobWithoutGroupCommit() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(
            path: directory.file("db.sqlite"),
            migrations: ItemsSchema.migrations,
            configuration: Database.Configuration(groupCommit: false)
        )
        defer { database.close() }

        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { try await ItemsSchema.insert("item-\(index)", into: database) }
            }
            try await group.waitForAll()
        }

        let statistics = database.statistics
        print("one transaction per job, 200 concurrent writes in", ContinuousClock.now - started, statistics)
        #expect(statistics.jobsCommitted == 200)
        #expect(statistics.transactionsCommitted == 200)
        #expect(statistics.largestBatch == 1)
    }

    @Test func writeIsVisibleToReadAsSoonAsItsCallerResumes() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        defer { database.close() }

        for index in 0..<20 {
            // Keep a reader's snapshot warm between writes: it must not go stale.
            _ = try await ItemsSchema.count(in: database)
            let rowID = try await database.write { connection in
                try connection.query("INSERT INTO items (name) VALUES (?) RETURNING id", [.text("item-\(index)")])[0][0].int64Value ?? -1
            }
            let name = try await database.read { try $0.query("SELECT name FROM items WHERE id = ?", [.integer(rowID)]) }
            #expect(name.first?["name"] == .text("item-\(index)"))
            #expect(try await ItemsSchema.count(in: database) == Int64(index + 1))
        }
    }

    @Test func failingJobIsRolledBackWhileTheRestOfItsBatchCommits() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        defer { database.close() }
        try await ItemsSchema.insert("taken", into: database)

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let first = Task { try await ItemsSchema.insert("first", into: database) }
        let duplicate = Task {
            try await database.write { connection in
                try connection.run("INSERT INTO items (name) VALUES (?)", [.text("partial")])
                try connection.run("INSERT INTO items (name) VALUES (?)", [.text("taken")])
            }
        }
        let last = Task { try await ItemsSchema.insert("last", into: database) }
        try await waitUntil { database.pendingWrites == 3 }
        let transactionsBefore = database.statistics.transactionsCommitted
        gate.open()

        try await holder.value
        try await first.value
        try await last.value
        await #expect {
            try await duplicate.value
        } throws: { error in
            guard case StorageError.constraint(let message) = error else { return false }
            return message.contains("UNIQUE") && !message.contains("taken")
        }
        #expect(try await ItemsSchema.names(in: database) == ["taken", "first", "last"])
        // The holder's transaction (still open when counted), then one for the batch of three.
        #expect(database.statistics.transactionsCommitted == transactionsBefore + 2)
        #expect(database.statistics.largestBatch == 2)
        #expect(database.statistics.jobsFailed == 1)
    }

    @Test func failedCommitFailsEveryJobOfTheBatch() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(
            path: directory.file("db.sqlite"),
            migrations: [
                Migration(version: 1, sql: """
                    CREATE TABLE owners (id INTEGER PRIMARY KEY);
                    CREATE TABLE pets (
                        name TEXT NOT NULL,
                        owner INTEGER REFERENCES owners (id) DEFERRABLE INITIALLY DEFERRED
                    );
                    """),
            ]
        )
        defer { database.close() }

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        // A deferred foreign key is only checked by COMMIT, so COMMIT fails.
        let orphan = Task { try await database.write { try $0.run("INSERT INTO pets VALUES ('orphan', 42)") } }
        let owner = Task { try await database.write { try $0.run("INSERT INTO owners (id) VALUES (1)") } }
        try await waitUntil { database.pendingWrites == 2 }
        gate.open()

        try await holder.value
        await #expect(throws: StorageError.self) { try await orphan.value }
        await #expect(throws: StorageError.self) { try await owner.value }
        #expect(try await database.read { try $0.query("SELECT count(*) FROM owners")[0][0] } == .integer(0))
        #expect(try await database.read { try $0.query("SELECT count(*) FROM pets")[0][0] } == .integer(0))
        #expect(database.statistics.jobsCommitted == 1)

        try await database.write { try $0.run("INSERT INTO owners (id) VALUES (1)") }
        #expect(try await database.read { try $0.query("SELECT count(*) FROM owners")[0][0] } == .integer(1))
    }

    @Test func fullQueueRejectsWritesImmediately() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(
            path: directory.file("db.sqlite"),
            migrations: ItemsSchema.migrations,
            configuration: Database.Configuration(maxQueueLength: 2)
        )
        defer { database.close() }

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let queued = [
            Task { try await ItemsSchema.insert("a", into: database) },
            Task { try await ItemsSchema.insert("b", into: database) },
        ]
        try await waitUntil { database.pendingWrites == 2 }

        let started = ContinuousClock.now
        await #expect(throws: StorageError.busy) { try await ItemsSchema.insert("c", into: database) }
        #expect(ContinuousClock.now - started < .seconds(60))  // stuck-test bound: the writer is held until after this, so a wait would be forever
        #expect(StorageError.busy.isUnavailable)

        gate.open()
        try await holder.value
        for task in queued { try await task.value }
        #expect(try await ItemsSchema.names(in: database) == ["a", "b"])
    }

    @Test func closeCommitsQueuedWritesThenRefusesNewOnes() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")
        let database = try Database.open(path: path, migrations: ItemsSchema.migrations)

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let queued = Task { try await ItemsSchema.insert("queued", into: database) }
        try await waitUntil { database.pendingWrites == 1 }
        gate.open()
        database.close()

        try await holder.value
        try await queued.value
        await #expect(throws: StorageError.closed) { try await ItemsSchema.insert("late", into: database) }
        await #expect(throws: StorageError.closed) { try await ItemsSchema.count(in: database) }

        let reopened = try Database.open(path: path, migrations: ItemsSchema.migrations)
        defer { reopened.close() }
        #expect(try await ItemsSchema.names(in: reopened) == ["queued"])
    }

    @Test func acknowledgesExactlyTheWritesThatSurviveAFullDiskMidBatch() async throws {
        let directory = try TemporaryDirectory()
        let database = try ItemsSchema.openCapped(in: directory)
        defer { database.close() }

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let before = Task { try await ItemsSchema.insert("before", into: database) }
        try await waitUntil { database.pendingWrites == 1 }
        let tooBig = Task {
            try await database.write {
                try $0.run("INSERT INTO items (name, payload) VALUES ('big', ?)", [.blob(Array(repeating: 1, count: 64 * 1024))])
            }
        }
        try await waitUntil { database.pendingWrites == 2 }
        let after = Task { try await ItemsSchema.insert("after", into: database) }
        try await waitUntil { database.pendingWrites == 3 }
        gate.open()

        try await holder.value
        await #expect(throws: StorageError.full) { try await tooBig.value }
        let beforeSucceeded = (try? await before.value) != nil
        let afterSucceeded = (try? await after.value) != nil
        let names = try await ItemsSchema.names(in: database)
        // Whether SQLite rolled back the statement or the whole transaction, a write is
        // acknowledged if and only if it is in the database.
        #expect(names.contains("before") == beforeSucceeded)
        #expect(names.contains("after") == afterSucceeded)
        #expect(afterSucceeded)
        #expect(!names.contains("big"))
        print("full mid-batch:", names.sorted(), database.statistics)
    }

    @Test func closesWhenTheLastReferenceIsDroppedOnTheWriterThread() async throws {
        let directory = try TemporaryDirectory()
        var database: Database? = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        let write = Task { [database] in
            try await database?.write { [database] connection in
                _ = database
                return try connection.run("INSERT INTO items (name) VALUES ('x')")
            }
        }
        database = nil
        _ = try await write.value
        // The write committed before the database closed itself on the writer thread, and the file is whole.
        let check = try SQLiteConnection(path: directory.file("db.sqlite"), mode: .readOnly)
        defer { check.close() }
        #expect(try check.query("SELECT count(*) FROM items").first?[0].int64Value == 1)
        #expect(try check.query("PRAGMA quick_check").first?[0] == .text("ok"))
    }

    /// The `synchronous` level a write job sees: 2 is FULL (its commit is fsynced), 1 NORMAL (it is not).
    private static func synchronousLevel(
        _ database: Database, _ durability: WriteDurability, inserting name: String
    ) async throws -> Int64? {
        try await database.write(durability: durability) { connection in
            try connection.run("INSERT INTO items (name) VALUES (?)", [.text(name)])
            return try connection.query("PRAGMA synchronous", []).first?[0].int64Value
        }
    }

    /// A write that needs no flush of its own (`WriteDurability.withNextFlush`) commits with `synchronous=NORMAL`
    /// (no fsync); the next write that does is FULL again, and so on.
    @Test func writesThatNeedNoFlushCommitWithoutOneAndTheNextFlushedWriteIsFullAgain() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        defer { database.close() }

        #expect(try await Self.synchronousLevel(database, .withNextFlush, inserting: "a") == 1)
        #expect(try await Self.synchronousLevel(database, .flushed, inserting: "b") == 2)
        #expect(try await Self.synchronousLevel(database, .withNextFlush, inserting: "c") == 1)
        #expect(try await Self.synchronousLevel(database, .withNextFlush, inserting: "d") == 1)
        #expect(try await Self.synchronousLevel(database, .flushed, inserting: "e") == 2)
        let statistics = database.statistics
        #expect(statistics.transactionsCommitted == 5)
        #expect(statistics.unflushedTransactions == 3)
        #expect(try await ItemsSchema.count(in: database) == 5)
    }

    /// One write in a batch that needs its flush flushes the whole batch, whatever the others asked for.
    @Test func aBatchWithOneWriteThatNeedsItsFlushIsFlushed() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        defer { database.close() }

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let eventual = (0..<3).map { index in
            Task { try await Self.synchronousLevel(database, .withNextFlush, inserting: "eventual-\(index)") }
        }
        try await waitUntil { database.pendingWrites == 3 }
        let flushed = Task { try await Self.synchronousLevel(database, .flushed, inserting: "flushed") }
        try await waitUntil { database.pendingWrites == 4 }
        gate.open()

        try await holder.value
        #expect(try await flushed.value == 2)
        for write in eventual { #expect(try await write.value == 2) }
        #expect(database.statistics.transactionsCommitted == 2)
        #expect(database.statistics.unflushedTransactions == 0)
    }

    /// A database opened with `synchronous=NORMAL` stays so: a flushed write cannot turn it FULL, and every
    /// commit counts as unflushed.
    @Test func aDatabaseOpenedWithoutFlushesKeepsItsSetting() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(
            path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations,
            configuration: Database.Configuration(connection: SQLiteConnection.Configuration(synchronous: .normal))
        )
        defer { database.close() }
        let before = database.statistics

        #expect(try await Self.synchronousLevel(database, .flushed, inserting: "a") == 1)
        #expect(try await Self.synchronousLevel(database, .withNextFlush, inserting: "b") == 1)
        let after = database.statistics
        #expect(after.transactionsCommitted - before.transactionsCommitted == 2)
        #expect(after.unflushedTransactions - before.unflushedTransactions == 2)
    }

    @Test func capsTheBatchSize() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(
            path: directory.file("db.sqlite"),
            migrations: ItemsSchema.migrations,
            configuration: Database.Configuration(maxBatchSize: 4)
        )
        defer { database.close() }

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let writes = (0..<10).map { index in Task { try await ItemsSchema.insert("item-\(index)", into: database) } }
        try await waitUntil { database.pendingWrites == 10 }
        gate.open()

        try await holder.value
        for write in writes { try await write.value }
        #expect(database.statistics.largestBatch == 4)
        #expect(database.statistics.transactionsCommitted == 1 + 3)
        #expect(try await ItemsSchema.count(in: database) == 10)
    }
}
