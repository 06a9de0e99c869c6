import Storage
import Testing

struct ReadTests {
    @Test func readWaitsOnlyBrieflyForAFreeConnection() throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(
            path: directory.file("db.sqlite"),
            migrations: ItemsSchema.migrations,
            configuration: Database.Configuration(readerCount: 1, readerCheckoutTimeout: .milliseconds(100))
        )
        defer { database.close() }

        let started = ContinuousClock.now
        #expect(throws: StorageError.busy) {
            try database.read { _ in try database.read { _ in } }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(try ItemsSchema.count(in: database) == 0)
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
                        let count = try ItemsSchema.count(in: database)
                        #expect(count % 2 == 0)
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try ItemsSchema.count(in: database) == 200)
    }
}
