import Synchronization

/// A clock that only moves when told to, for tests.
public final class ManualSimulatorClock: SimulatorClock {
    private let current: Mutex<Int64>

    /// Starts at `startMilliseconds` (epoch ms; default 2025-01-01T00:00:00Z).
    public init(startMilliseconds: Int64 = 1_735_689_600_000) {
        current = Mutex(startMilliseconds)
    }

    public func nowMilliseconds() -> Int64 {
        current.withLock { $0 }
    }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        let milliseconds = duration.milliseconds
        current.withLock { $0 += milliseconds }
    }
}
