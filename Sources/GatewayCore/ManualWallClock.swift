internal import Synchronization

/// A clock that only moves when told to, for tests.
public final class ManualWallClock: WallClock {
    private let milliseconds: Mutex<Int64>

    /// Starts at `now` (milliseconds since the Unix epoch).
    public init(now: Int64 = 1_750_000_000_000) {
        milliseconds = Mutex(now)
    }

    /// The current reading.
    public var now: Int64 {
        milliseconds.withLock { $0 }
    }

    /// Moves the clock forward (or back, with a negative value) by `delta` milliseconds.
    public func advance(by delta: Int64) {
        milliseconds.withLock { $0 += delta }
    }

    /// Sets the clock.
    public func set(_ now: Int64) {
        milliseconds.withLock { $0 = now }
    }
}
