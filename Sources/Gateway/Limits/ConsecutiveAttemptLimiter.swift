import Synchronization

/// Counts attempts per key and refuses the next once `maxAttempts` were made with no quiet gap of
/// `quietPeriod` between them; a success (`reset`) or `quietPeriod` without attempts starts over.
///
/// This is the per-email login limit: Weavr locks a user for 30 minutes after 5 failed consecutive logins,
/// so the gateway lets at most 4 through per `quietPeriod` (30 minutes), and nobody can use the gateway to
/// lock a user at Weavr or learn from a 423 that an email exists. Refused attempts do not extend the pause.
/// Memory is bounded like ``RateLimiter``: past `maxKeys`, expired keys go first, then the oldest half.
public final class ConsecutiveAttemptLimiter: Sendable {
    private struct Entry {
        var count: Int
        var lastAttempt: UInt64
    }

    public let maxAttempts: Int
    private let quietNanoseconds: UInt64
    private let maxKeys: Int
    private let clock: @Sendable () -> UInt64
    private let state = Mutex<[String: Entry]>([:])

    /// `clock` gives monotonic nanoseconds (tests inject one).
    public init(maxAttempts: Int, quietPeriod: Duration, maxKeys: Int = 100_000,
                clock: @escaping @Sendable () -> UInt64 = { DispatchFreeClock.nowNanoseconds() }) {
        precondition(maxAttempts > 0, "maxAttempts must be positive")
        self.maxAttempts = maxAttempts
        quietNanoseconds = UInt64(quietPeriod.components.seconds) * 1_000_000_000 + UInt64(quietPeriod.components.attoseconds / 1_000_000_000)
        self.maxKeys = maxKeys
        self.clock = clock
    }

    /// Counts one attempt for `key` when allowed; the decision's `retryAfterSeconds` says when the pause ends.
    public func acquire(_ key: String) -> RateLimiter.Decision {
        let now = clock()
        let quiet = quietNanoseconds
        return state.withLock { table in
            if var entry = table[key], now &- entry.lastAttempt < quiet {
                guard entry.count < maxAttempts else {
                    let wait = entry.lastAttempt &+ quiet &- now
                    let seconds = Int((wait + 999_999_999) / 1_000_000_000)
                    return RateLimiter.Decision(allowed: false, remaining: 0, retryAfterSeconds: seconds, resetSeconds: seconds)
                }
                entry.count += 1
                entry.lastAttempt = now
                table[key] = entry
                return RateLimiter.Decision(allowed: true, remaining: maxAttempts - entry.count, retryAfterSeconds: 0, resetSeconds: 0)
            }
            if table[key] == nil && table.count >= maxKeys {
                table = table.filter { now &- $0.value.lastAttempt < quiet }
                if table.count >= maxKeys {
                    let keep = table.sorted { $0.value.lastAttempt > $1.value.lastAttempt }.prefix(maxKeys / 2)
                    table = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
                }
            }
            table[key] = Entry(count: 1, lastAttempt: now)
            return RateLimiter.Decision(allowed: true, remaining: maxAttempts - 1, retryAfterSeconds: 0, resetSeconds: 0)
        }
    }

    /// Forgets `key` (a successful login).
    public func reset(_ key: String) {
        _ = state.withLock { $0.removeValue(forKey: key) }
    }

    /// Keys tracked now (at most `maxKeys`).
    public var trackedKeys: Int { state.withLock { $0.count } }
}
