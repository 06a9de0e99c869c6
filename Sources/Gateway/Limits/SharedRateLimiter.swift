import Storage
import Synchronization

/// GCRA request rates kept in the shared database, so that several instances behind a load balancer
/// enforce one limit together (docs/ARCHITECTURE.md, "Several instances").
///
/// The algorithm is the same as `RateLimiter`'s (the token bucket's single-timestamp form), with the
/// theoretical arrival time (`tat`, µs) of each key in table `rate_limits`. One statement per check
/// tests and advances it atomically — an `INSERT … ON CONFLICT DO UPDATE … WHERE` that the database runs
/// under the row's lock — so concurrent requests on any instance are counted exactly: never more than the
/// limit, whatever the spread. (Kong's `cluster` strategy and Tyk's DRL sync counters in the
/// background and can overshoot; this costs one round trip per request instead.)
///
/// The table is `UNLOGGED` on PostgreSQL: its commits need no WAL flush, and losing it in a database
/// crash only refills every bucket. The instances' clocks are used (µs); NTP-level skew between them
/// shifts a bucket by that skew, not more.
final class SharedRateLimiter: Sendable {
    private let database: Database
    private let lastPurge = Mutex<UInt64>(0)

    init(database: Database) {
        self.database = database
    }

    /// Checks and, when allowed, counts one request for `key` against `rate` per `period` with bursts of
    /// `burst`. Throws a `StorageError` when the database cannot be reached.
    func acquire(_ key: String, rate: Int, per period: Duration, burst: Int) async throws -> RateLimiter.Decision {
        let periodMicroseconds = UInt64(period.components.seconds) * 1_000_000 + UInt64(period.components.attoseconds / 1_000_000_000_000)
        let interval = Int64(max(1, periodMicroseconds / UInt64(rate)))
        let tolerance = interval * Int64(burst - 1)
        let now = Int64(DispatchFreeClock.wallMicroseconds())
        let purge = shouldPurge(now: UInt64(now))
        let tat: (value: Int64, allowed: Bool) = try await database.read { connection in
            if purge {
                try connection.run("DELETE FROM rate_limits WHERE tat < ?", [.integer(now)])
            }
            if let row = try connection.query(
                """
                INSERT INTO rate_limits (key, tat) VALUES (?1, ?2 + ?3)
                ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, ?2) + ?3
                WHERE GREATEST(rate_limits.tat, ?2) - ?4 <= ?2
                RETURNING tat
                """,
                [.text(key), .integer(now), .integer(interval), .integer(tolerance)]
            ).first, let value = row[0].int64Value {
                return (value, true)
            }
            let current = try connection.query("SELECT tat FROM rate_limits WHERE key = ?", [.text(key)]).first?[0].int64Value
            return (current ?? now, false)
        }
        func ceilSeconds(_ microseconds: Int64) -> Int { Int((max(0, microseconds) + 999_999) / 1_000_000) }
        guard tat.allowed else {
            return RateLimiter.Decision(
                allowed: false, remaining: 0, retryAfterSeconds: max(1, ceilSeconds(tat.value - tolerance - now)),
                resetSeconds: ceilSeconds(tat.value - now)
            )
        }
        let used = (tat.value - now + interval - 1) / interval
        return RateLimiter.Decision(
            allowed: true, remaining: max(0, burst - Int(used)), retryAfterSeconds: 0, resetSeconds: ceilSeconds(tat.value - now)
        )
    }

    /// Every minute one check also deletes the buckets that have refilled (their rows say nothing).
    private func shouldPurge(now: UInt64) -> Bool {
        lastPurge.withLock { last in
            guard now >= last + 60_000_000 else { return false }
            last = now
            return true
        }
    }
}
