import Storage
import Synchronization
import Testing
import TestSupport

/// `PostgresNotificationListener` against a real PostgreSQL: a committed `pg_notify` wakes it, a rolled-back
/// one does not, and a listener whose connection is killed reconnects, says so (one wake-up to catch up) and
/// hears the next notification. Needs PostgreSQL (`eval "$(bash scripts/postgres.sh start)"`).
@Suite struct NotificationListenerTests {
    final class Wakeups: Sendable {
        let count = Atomic<Int>(0)
    }

    @Test func committedNotificationsWakeItAndItSurvivesAKilledConnection() async throws {
        try await PostgresTestDatabase.with { postgres in
            let database = try await postgres.connect(migrations: [])
            defer { database.close() }
            let wakeups = Wakeups()
            let listener = try #require(PostgresNotificationListener.start(on: database, channel: "test_events") {
                wakeups.count.add(1, ordering: .relaxed)
            })
            defer { listener.stop() }
            // One wake-up on connect (to read what was missed while away).
            try await waitUntil { listener.isListening && wakeups.count.load(ordering: .relaxed) == 1 }

            try await database.write { connection in _ = try connection.query("SELECT pg_notify('test_events', '')", []) }
            try await waitUntil { listener.notificationCount == 1 && wakeups.count.load(ordering: .relaxed) == 2 }

            // A notification in a transaction that rolls back is never delivered; the next committed one is.
            struct Abort: Error {}
            _ = try? await database.write { connection -> Void in
                _ = try connection.query("SELECT pg_notify('test_events', 'rolled back')", [])
                throw Abort()
            }
            try await database.write { connection in _ = try connection.query("SELECT pg_notify('test_events', 'kept')", []) }
            try await waitUntil { listener.notificationCount >= 2 }
            #expect(listener.notificationCount == 2)
            // Another channel is not heard.
            try await database.write { connection in _ = try connection.query("SELECT pg_notify('other_events', '')", []) }

            // Kill the listener's backend: it reconnects, LISTENs again and hears the next one.
            try await database.write { connection in
                _ = try connection.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN test_events' AND pid <> pg_backend_pid()", []
                )
            }
            try await waitUntil { listener.connectCount == 2 && listener.isListening }
            try await database.write { connection in _ = try connection.query("SELECT pg_notify('test_events', '')", []) }
            // Wake-ups: connect, two notifications, reconnect, this one.
            try await waitUntil { listener.notificationCount == 3 && wakeups.count.load(ordering: .relaxed) == 5 }
        }
    }

    @Test func thereIsNoListenerOnSQLiteOrForABadChannel() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database.open(path: directory.file("x.sqlite"), migrations: [])
        defer { database.close() }
        #expect(PostgresNotificationListener.start(on: database, channel: "events") { } == nil)
        try await PostgresTestDatabase.with { postgres in
            let database = try await postgres.connect(migrations: [])
            defer { database.close() }
            #expect(PostgresNotificationListener.start(on: database, channel: "bad; DROP TABLE x") { } == nil)
        }
    }
}
