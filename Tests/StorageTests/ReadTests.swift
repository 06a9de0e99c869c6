#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Storage
import Testing
import TestSupport

struct ReadTests {
    @Test func readWaitsOnlyBrieflyForAFreeConnection() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(
            path: directory.file("db.sqlite"),
            migrations: ItemsSchema.migrations,
            configuration: Database.Configuration(readerCount: 1, readerCheckoutTimeout: .milliseconds(100))
        )
        defer { database.close() }

        // The only reader is held; the next read gives up after the checkout timeout.
        let gate = ThreadGate()
        let holding = gate.holdReader(database)
        try await gate.waitUntilHeld()
        let started = ContinuousClock.now
        await #expect(throws: StorageError.busy) {
            try await database.read { _ in }
        }
        gate.open()
        try await holding.value
        // A stuck-test bound: the holder lets go only after the read gave up, so without the checkout timeout the
        // read would wait forever.
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(try await ItemsSchema.count(in: database) == 0)
    }

    @Test func readsRunAlongsideWritesAndNeverSeePartialBatches() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        defer { database.close() }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask {
                    // Each write inserts a pair; a reader must never see half of one.
                    try await database.write { connection in
                        try connection.run("INSERT INTO items (name) VALUES (?)", [.text("a-\(index)")])
                        try connection.run("INSERT INTO items (name) VALUES (?)", [.text("b-\(index)")])
                    }
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<50 {
                        let count = try await ItemsSchema.count(in: database)
                        #expect(count % 2 == 0)
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await ItemsSchema.count(in: database) == 200)
    }

    @Test func readsNeverRunOnTheCallersThread() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        defer { database.close() }
        let caller = pthread_self()
        let onCallersThread = try await database.read { _ in pthread_equal(pthread_self(), caller) != 0 }
        #expect(!onCallersThread)
    }

    @Test func closesWhenTheLastReferenceIsDroppedOnAReaderThread() async throws {
        let directory = try TemporaryDirectory()
        var database: Database? = try Database.open(path: directory.file("db.sqlite"), migrations: ItemsSchema.migrations)
        let read = Task { [database] in
            try await database?.read { [database] connection in
                _ = database
                return try connection.query("SELECT count(*) FROM items")[0][0].int64Value
            }
        }
        database = nil
        #expect(try await read.value == 0)
    }
}
