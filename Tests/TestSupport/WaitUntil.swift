/// A condition a test waited for did not hold in time.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public var description: String
}

/// Polls `condition` every few milliseconds until it holds, or throws after `timeout`: tests wait on
/// observable state, never on a sleep and hope. The timeout is generous — a bound for a stuck test, not a
/// speed target.
///
/// It gives up only when the time is over *and* the condition was looked at `minimumPolls` times: at the start
/// of a parallel run every test is set up at once and the two-thread cooperative pool can leave a waiting task
/// unscheduled for tens of seconds, so wall-clock time alone would fail a test that was never given the chance
/// to see its condition. A test that is really stuck still ends: once the pool is free, the polls come every
/// few milliseconds.
public func waitUntil(
    timeout: Duration = .seconds(30), minimumPolls: Int = 200, _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    var polls = 0
    while try await !condition() {
        polls += 1
        guard ContinuousClock.now < deadline || polls < minimumPolls else {
            throw WaitTimedOut(description: "condition not met within \(timeout) (\(polls) polls)")
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
