/// A few read-only connections, each used by one caller at a time.
final class ReaderPool: @unchecked Sendable {
    private let condition = ConditionLock()
    private let checkoutTimeout: Duration

    // Guarded by `condition`.
    private var idleConnections: [SQLiteConnection]
    private var isClosed = false

    /// Takes ownership of `connections`.
    init(connections: [SQLiteConnection], checkoutTimeout: Duration) {
        idleConnections = connections
        self.checkoutTimeout = checkoutTimeout
    }

    /// Runs `body` with a connection of its own, waiting up to `checkoutTimeout` for one
    /// to be free (then `StorageError.busy`).
    func withConnection<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    /// Closes idle connections now and busy ones when they come back.
    func close() {
        condition.withLock {
            isClosed = true
            for connection in idleConnections { connection.close() }
            idleConnections.removeAll()
            condition.broadcast()
        }
    }

    private func checkOut() throws -> SQLiteConnection {
        let deadline = ContinuousClock.now + checkoutTimeout
        return try condition.withLock {
            while idleConnections.isEmpty && !isClosed {
                let remaining = deadline - .now
                guard remaining > .zero else { throw StorageError.busy }
                _ = condition.wait(timeout: remaining)
            }
            guard !isClosed else { throw StorageError.closed }
            return idleConnections.removeLast()
        }
    }

    private func checkIn(_ connection: SQLiteConnection) {
        // End the read snapshot so the next read sees every write committed before it.
        connection.resetRunningStatements()
        if connection.isInTransaction { try? connection.execute("ROLLBACK") }
        condition.withLock {
            if isClosed {
                connection.close()
            } else {
                idleConnections.append(connection)
                condition.signal()
            }
        }
    }
}
