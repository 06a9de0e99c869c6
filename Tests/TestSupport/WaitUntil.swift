/// A condition a test waited for did not hold in time.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public var description: String
}

/// Polls `condition` every few milliseconds until it holds, or throws after `timeout`: tests wait on
/// observable state, never on a sleep and hope. The timeout is generous — a bound for a stuck test, not a
/// speed target.
public func waitUntil(timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(description: "condition not met within \(timeout)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}
