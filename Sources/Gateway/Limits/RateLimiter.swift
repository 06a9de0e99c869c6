import Glibc
import Synchronization

/// In-memory GCRA (generic cell rate algorithm, the token bucket's single-timestamp form) keyed by string.
///
/// Allows `burst` requests at once and `rate` per `period` sustained. Memory is bounded: at most
/// `maxKeys` keys are tracked; past that, keys whose bucket has refilled are dropped first, and if none
/// has, the half of the keys nearest to refilled (the least throttled) are forgotten. A flood of junk keys
/// therefore never locks anybody out: it can at worst let a forgotten key start afresh.
public final class RateLimiter: Sendable {
    /// The verdict for one request.
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// Requests still allowed right now (the `RateLimit` field's `r`).
        public var remaining: Int
        /// Seconds until a request would be allowed (0 when allowed now).
        public var retryAfterSeconds: Int
        /// Seconds until the bucket is full again (the `RateLimit` field's `t`).
        public var resetSeconds: Int
    }

    public let burst: Int
    public let period: Duration
    public let rate: Int
    private let emissionInterval: UInt64
    private let tolerance: UInt64
    private let maxKeys: Int
    private let clock: @Sendable () -> UInt64
    private let state = Mutex<[String: UInt64]>([:])

    /// `rate` requests per `period`, bursts up to `burst`. `clock` gives monotonic nanoseconds (tests inject one).
    public init(rate: Int, per period: Duration, burst: Int, maxKeys: Int = 100_000,
                clock: @escaping @Sendable () -> UInt64 = { UInt64(DispatchFreeClock.nowNanoseconds()) }) {
        precondition(rate > 0 && burst > 0, "rate and burst must be positive")
        self.rate = rate
        self.period = period
        self.burst = burst
        let periodNanoseconds = UInt64(period.components.seconds) * 1_000_000_000 + UInt64(period.components.attoseconds / 1_000_000_000)
        emissionInterval = max(1, periodNanoseconds / UInt64(rate))
        tolerance = emissionInterval * UInt64(burst - 1)
        self.maxKeys = maxKeys
        self.clock = clock
    }

    /// Checks and, when allowed, counts one request for `key`.
    public func acquire(_ key: String) -> Decision {
        acquire(key, at: clock())
    }

    /// This limiter's clock now (monotonic nanoseconds), for a caller that checks several limiters sharing one
    /// clock at one instant (`acquire(_:at:)`).
    func now() -> UInt64 { clock() }

    /// `acquire` at `now`, a time read from this limiter's clock (`now()`).
    func acquire(_ key: String, at now: UInt64) -> Decision {
        state.withLock { table in
            // A known key (every request but a session's first) is hashed once: read and written in place.
            if let slot = table.index(forKey: key) {
                let (decision, newTat) = decide(tat: max(table.values[slot], now), now: now)
                if let newTat { table.values[slot] = newTat }
                return decision
            }
            if table.count >= maxKeys {
                table = table.filter { $0.value > now }
                if table.count >= maxKeys {
                    let keep = table.sorted { $0.value > $1.value }.prefix(maxKeys / 2)
                    table = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
                }
            }
            let (decision, newTat) = decide(tat: now, now: now)
            if let newTat { table[key] = newTat }
            return decision
        }
    }

    /// GCRA for a bucket whose theoretical arrival time is `tat` (never before `now`): the decision, and the
    /// new time when the request is allowed.
    private func decide(tat: UInt64, now: UInt64) -> (Decision, UInt64?) {
        // Allowed when tat - tolerance <= now.
        let allowAt = tat > tolerance ? tat - tolerance : 0
        if allowAt > now {
            let wait = allowAt - now
            return (Decision(allowed: false, remaining: 0, retryAfterSeconds: Self.ceilSeconds(wait),
                             resetSeconds: Self.ceilSeconds(tat - now)), nil)
        }
        let newTat = tat + emissionInterval
        let used = (newTat - now + emissionInterval - 1) / emissionInterval
        let remaining = max(0, burst - Int(used))
        return (Decision(allowed: true, remaining: remaining, retryAfterSeconds: 0, resetSeconds: Self.ceilSeconds(newTat - now)), newTat)
    }

    /// Keys tracked now (at most `maxKeys`).
    public var trackedKeys: Int { state.withLock { $0.count } }

    /// Forgets `key` (for example after a successful login).
    public func reset(_ key: String) {
        _ = state.withLock { $0.removeValue(forKey: key) }
    }

    private static func ceilSeconds(_ nanoseconds: UInt64) -> Int {
        Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }
}

/// CLOCK_MONOTONIC without Foundation.
public enum DispatchFreeClock {
    public static func nowNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// CLOCK_REALTIME in microseconds: comparable between instances (shared rate limits).
    public static func wallMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000 &+ UInt64(ts.tv_nsec) / 1_000
    }
}
