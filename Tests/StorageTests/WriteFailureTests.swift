import Storage
import Synchronization
import Testing
import TestSupport

/// The writer remembers and reports writes refused for want of the database (for readiness and the warning
/// log), and only those: a job's own error (no such table, a constraint) is the caller's business.
struct WriteFailureTests {
    @Test func aFullDatabaseIsRecordedAndReportedButAJobsOwnErrorIsNot() async throws {
        let directory = try TemporaryDirectory()
        let database = try ItemsSchema.openCapped(in: directory)
        defer { database.close() }
        let reported = Mutex<[StorageError]>([])
        database.observeWriteFailures { failure in reported.withLock { $0.append(failure.error) } }
        try await ItemsSchema.insert("small", into: database)
        #expect(database.lastWriteFailure == nil)

        await #expect(throws: (any Error).self) {
            try await database.write { try $0.run("INSERT INTO nowhere VALUES (1)") }
        }
        #expect(database.lastWriteFailure == nil)

        let started = ContinuousClock.now
        await #expect(throws: StorageError.full) {
            try await database.write { try $0.run("INSERT INTO items (name, payload) VALUES ('big', ?)", [.blob(Array(repeating: 7, count: 64 * 1024))]) }
        }
        let failure = try #require(database.lastWriteFailure)
        #expect(failure.error == .full)
        #expect(failure.time >= started && failure.time <= .now)
        #expect(reported.withLock { $0 } == [.full])

        database.close()
        await #expect(throws: StorageError.closed) { try await ItemsSchema.insert("late", into: database) }
        #expect(database.lastWriteFailure?.error == .closed)
        #expect(reported.withLock { $0 } == [.full, .closed])
    }
}
