import Foundation

/// The simulator's notion of wall-clock time, injectable so tests can move time forward
/// (token idle expiry, login lock-out, idempotency retention, rate-limit windows).
public protocol SimulatorClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
}

/// The real clock.
public struct SystemSimulatorClock: SimulatorClock {
    public init() {}

    public func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
