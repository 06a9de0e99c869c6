import Storage
import Testing
import TestSupport

/// The writer's promises on both engines: a failing job fails alone (SQLite by its savepoint; PostgreSQL by
/// rolling back the batch and running the others again), and the memo jobs share never outlives what it saw.
@Suite("Writer on SQLite and PostgreSQL")
struct WriterEngineTests {
    @Test(arguments: StoreBackend.allCases)
    func failingJobIsRolledBackWhileTheRestOfItsBatchCommits(backend: StoreBackend) async throws {
        let handle = try await backend.open(migrations: ItemsSchema.migrations)
        let database = handle.database
        try await ItemsSchema.insert("taken", into: database)

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let first = Task { try await ItemsSchema.insert("first", into: database) }
        try await waitUntil { database.pendingWrites == 1 }
        let duplicate = Task {
            try await database.write { connection in
                try connection.run("INSERT INTO items (name) VALUES (?)", [.text("partial")])
                try connection.run("INSERT INTO items (name) VALUES (?)", [.text("taken")])
            }
        }
        try await waitUntil { database.pendingWrites == 2 }
        let last = Task { try await ItemsSchema.insert("last", into: database) }
        try await waitUntil { database.pendingWrites == 3 }
        let before = database.statistics
        gate.open()

        try await holder.value
        try await first.value
        try await last.value
        await #expect {
            try await duplicate.value
        } throws: { error in
            guard case StorageError.constraint(let message) = error else { return false }
            return !message.contains("taken")
        }
        #expect(try await ItemsSchema.names(in: database) == ["taken", "first", "last"])
        let after = database.statistics
        // The holder's transaction, then one committing the two good jobs.
        #expect(after.transactionsCommitted == before.transactionsCommitted + 2)
        #expect(after.jobsCommitted == before.jobsCommitted + 3)
        #expect(after.jobsFailed == before.jobsFailed + 1)
    }

    @Test func aJobThatSwallowsAFailedStatementFailsAloneOnPostgreSQL() async throws {
        let handle = try await StoreBackend.postgres.open(migrations: ItemsSchema.migrations)
        let database = handle.database
        try await ItemsSchema.insert("taken", into: database)

        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let first = Task { try await ItemsSchema.insert("first", into: database) }
        try await waitUntil { database.pendingWrites == 1 }
        // PostgreSQL aborts the transaction on the failed INSERT; COMMIT would answer with a silent ROLLBACK.
        let swallower = Task {
            try await database.write { connection in
                _ = try? connection.run("INSERT INTO items (name) VALUES (?)", [.text("taken")])
            }
        }
        try await waitUntil { database.pendingWrites == 2 }
        let last = Task { try await ItemsSchema.insert("last", into: database) }
        try await waitUntil { database.pendingWrites == 3 }
        gate.open()

        try await holder.value
        try await first.value
        try await last.value
        await #expect(throws: StorageError.self) { try await swallower.value }
        #expect(try await ItemsSchema.names(in: database) == ["taken", "first", "last"])
    }

    @Test(arguments: StoreBackend.allCases)
    func theMemoIsSharedWithinATransactionAndForgottenAfterIt(backend: StoreBackend) async throws {
        let handle = try await backend.open(migrations: ItemsSchema.migrations)
        let database = handle.database
        try await ItemsSchema.insert("taken", into: database)

        // One batch: a job remembers 1; the next sees it; a failing job remembers 2 and fails; the one after
        // it must not see 2 (the failure forgot the memo, or the batch ran again without the failed job).
        let gate = ThreadGate()
        let holder = gate.hold(database)
        try await gate.waitUntilHeld()
        let remember = Task {
            try await database.write { connection in connection.writeMemo?["value", as: Int.self] = 1 }
        }
        try await waitUntil { database.pendingWrites == 1 }
        let seen = Task { try await database.write { connection in connection.writeMemo?["value", as: Int.self] } }
        try await waitUntil { database.pendingWrites == 2 }
        let failing = Task {
            try await database.write { connection in
                connection.writeMemo?["value", as: Int.self] = 2
                try connection.run("INSERT INTO items (name) VALUES (?)", [.text("taken")])
            }
        }
        try await waitUntil { database.pendingWrites == 3 }
        let afterFailure = Task { try await database.write { connection in connection.writeMemo?["value", as: Int.self] } }
        try await waitUntil { database.pendingWrites == 4 }
        gate.open()

        try await holder.value
        try await remember.value
        #expect(try await seen.value == 1)
        await #expect(throws: StorageError.self) { try await failing.value }
        #expect(try await afterFailure.value != 2)
        // A later transaction starts with nothing remembered; readers have no memo.
        #expect(try await database.write { connection in connection.writeMemo?["value", as: Int.self] } == nil)
        #expect(try await database.write { connection in connection.writeMemo != nil })
        #expect(try await database.read { connection in connection.writeMemo == nil })
    }
}
