public import NIOFreeHTTP
import Synchronization

/// A circuit breaker for one Weavr base URL, shared by every client (tenant) calling it.
///
/// closed → open after `failureThreshold` consecutive upstream failures (5xx, transport) → half-open once
/// `coolDown` has passed, letting exactly one trial call through → closed when it succeeds, open again when
/// it fails. While open every call fails fast without touching the network.
public final class CircuitBreaker: Sendable {
    /// The breaker's position.
    public enum State: String, Sendable, Equatable {
        case closed, open, halfOpen = "half_open"
    }

    /// Thresholds of a breaker. Defaults are in the property docs.
    public struct Configuration: Sendable {
        /// Consecutive failures that open the circuit. Default 5.
        public var failureThreshold: Int = 5
        /// How long the circuit stays open before a trial call. Default 10 s.
        public var coolDown: Duration = .seconds(10)

        public init() {}
    }

    /// Permission to make one call; hand it back through `record`.
    public struct Permit: Sendable {
        let isTrial: Bool
    }

    private struct Storage {
        var state: State = .closed
        var consecutiveFailures = 0
        var openedAt: UInt64 = 0
        var trialInFlight = false
        var timesOpened = 0
    }

    public let configuration: Configuration
    private let now: @Sendable () -> UInt64
    private let storage = Mutex(Storage())

    /// `now` returns monotonic nanoseconds (injectable so tests can skip the cool-down).
    public init(configuration: Configuration = Configuration(), now: @escaping @Sendable () -> UInt64 = { EventLoop.monotonicNanoseconds() }) {
        self.configuration = configuration
        self.now = now
    }

    /// The current state (an open circuit whose cool-down has passed reports `halfOpen`), for metrics and readiness.
    public var state: State {
        let time = now()
        return storage.withLock { storage in
            if storage.state == .open, coolDownOver(storage, time) { return .halfOpen }
            return storage.state
        }
    }

    /// How long an open circuit still refuses calls before it lets a trial through; zero when it is closed or
    /// half-open, or its cool-down is over. A refused caller should wait at least this long (`Retry-After`).
    public var remainingCoolDown: Duration {
        let time = now()
        return storage.withLock { storage in
            guard storage.state == .open else { return .zero }
            let elapsed = time &- storage.openedAt
            let coolDown = coolDownNanoseconds
            return elapsed >= coolDown ? .zero : .nanoseconds(Int64(coolDown - elapsed))
        }
    }

    /// How many times the circuit has opened (for metrics).
    public var timesOpened: Int {
        storage.withLock { $0.timesOpened }
    }

    /// A permit to call upstream, or nil when the call must fail fast.
    public func acquire() -> Permit? {
        // The clock is read only where the answer depends on it (an open circuit), not on every call.
        storage.withLock { storage -> Permit? in
            switch storage.state {
            case .closed:
                return Permit(isTrial: false)
            case .open:
                guard coolDownOver(storage, now()) else { return nil }
                storage.state = .halfOpen
                storage.trialInFlight = true
                return Permit(isTrial: true)
            case .halfOpen:
                guard !storage.trialInFlight else { return nil }
                storage.trialInFlight = true
                return Permit(isTrial: true)
            }
        }
    }

    /// Reports the outcome of the call made with `permit`: `failed` when Weavr looked unhealthy.
    public func record(_ permit: Permit, failed: Bool) {
        // Only a failure can open the circuit, and only then is the time kept.
        let time = failed ? now() : 0
        storage.withLock { storage in
            if permit.isTrial { storage.trialInFlight = false }
            if failed {
                storage.consecutiveFailures += 1
                let shouldOpen = storage.state == .halfOpen
                    || (storage.state == .closed && storage.consecutiveFailures >= configuration.failureThreshold)
                if shouldOpen {
                    storage.state = .open
                    storage.openedAt = time
                    storage.timesOpened += 1
                }
            } else {
                storage.consecutiveFailures = 0
                // A late success of a call admitted before the circuit opened does not close it; a trial's does.
                if storage.state == .halfOpen && permit.isTrial || storage.state == .closed {
                    storage.state = .closed
                }
            }
        }
    }

    private func coolDownOver(_ storage: Storage, _ time: UInt64) -> Bool {
        time &- storage.openedAt >= coolDownNanoseconds
    }

    private var coolDownNanoseconds: UInt64 {
        UInt64(max(0, configuration.coolDown.components.seconds)) * 1_000_000_000
            + UInt64(max(0, configuration.coolDown.components.attoseconds / 1_000_000_000))
    }
}
