import Storage
import Testing
import TestSupport

struct UnavailabilityTests {
    @Test func fullDatabaseFailsWritesButKeepsReadsWorking() async throws {
        let directory = try TemporaryDirectory()
        let database = try ItemsSchema.openCapped(in: directory)
        defer { database.close() }
        try await ItemsSchema.insert("small", into: database)

        let bigPayload = SQLValue.blob(Array(repeating: 7, count: 64 * 1024))
        await #expect {
            try await database.write { try $0.run("INSERT INTO items (name, payload) VALUES ('big', ?)", [bigPayload]) }
        } throws: { error in
            (error as? StorageError) == .full && (error as? StorageError)?.isUnavailable == true
        }
        #expect(try await ItemsSchema.names(in: database) == ["small"])

        try await database.write { try $0.run("PRAGMA max_page_count = 1000000") }
        try await database.write { try $0.run("INSERT INTO items (name, payload) VALUES ('big', ?)", [bigPayload]) }
        #expect(try await ItemsSchema.names(in: database) == ["small", "big"])
    }

    @Test func lockedDatabaseFailsWritesWithBusyWithinTheTimeout() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")
        let database = try Database.open(
            path: path,
            migrations: ItemsSchema.migrations,
            configuration: Database.Configuration(
                connection: SQLiteConnection.Configuration(busyTimeoutMilliseconds: 200)
            )
        )
        defer { database.close() }
        try await ItemsSchema.insert("before", into: database)

        let intruder = try SQLiteConnection(path: path)
        defer { intruder.close() }
        try intruder.execute("BEGIN EXCLUSIVE")
        try intruder.run("INSERT INTO items (name) VALUES ('intruder')")

        let started = ContinuousClock.now
        await #expect(throws: StorageError.busy) { try await ItemsSchema.insert("blocked", into: database) }
        let waited = ContinuousClock.now - started
        print("busy after", waited)
        #expect(waited < .seconds(60))  // a stuck-test bound: without the busy timeout it would wait for the intruder forever
        #expect(try await ItemsSchema.names(in: database) == ["before"])

        try intruder.execute("COMMIT")
        try await ItemsSchema.insert("after", into: database)
        #expect(try await ItemsSchema.names(in: database) == ["before", "intruder", "after"])
    }

    @Test(arguments: [StorageError.busy, .locked, .full, .ioError, .readOnly, .closed])
    func marksUnavailabilityErrorsForA503(_ error: StorageError) {
        #expect(error.isUnavailable)
    }

    @Test(arguments: [
        StorageError.corrupt, .constraint("UNIQUE constraint failed: items.name"), .notADatabase,
        .schemaTooNew(databaseVersion: 2, latestKnownVersion: 1), .other(code: 1, message: "SQL logic error"),
    ])
    func doesNotMarkOtherErrorsAsUnavailability(_ error: StorageError) {
        #expect(!error.isUnavailable)
    }
}
