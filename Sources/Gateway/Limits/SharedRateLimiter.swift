import Storage
import Synchronization

/// GCRA request rates kept in the shared database, so that several instances behind a load balancer
/// enforce one limit together (docs/ARCHITECTURE.md, "Several instances").
///
/// The algorithm is the same as `RateLimiter`'s (the token bucket's single-timestamp form), with the
/// theoretical arrival time (`tat`, µs) of each key in table `rate_limits`. One statement per request
/// tests and advances the session's bucket and then the tenant's atomically — `INSERT … ON CONFLICT DO
/// UPDATE … WHERE`, which the database runs under each row's lock — so concurrent requests on any
/// instance are counted exactly: never more than the limit, whatever the spread. (Kong's `cluster`
/// strategy and Tyk's DRL sync counters in the background and can overshoot; this costs one round trip
/// per request instead.)
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

    /// One bucket's rate: `rate` requests per `period`, bursts of `burst`.
    struct Limit {
        var key: String
        var rate: Int
        var period: Duration
        var burst: Int

        var intervalMicroseconds: Int64 {
            let periodMicroseconds = UInt64(period.components.seconds) * 1_000_000
                + UInt64(period.components.attoseconds / 1_000_000_000_000)
            return Int64(max(1, periodMicroseconds / UInt64(max(1, rate))))
        }

        var toleranceMicroseconds: Int64 { intervalMicroseconds * Int64(burst - 1) }
    }

    /// Checks and, when allowed, counts one request against `first`, and only if that allowed it, against
    /// `second` — in one statement (one round trip). `second` is nil when `first` refused. Throws a
    /// `StorageError` when the database cannot be reached.
    func acquire(_ first: Limit, then second: Limit) async throws -> (first: RateLimiter.Decision, second: RateLimiter.Decision?) {
        let now = Int64(DispatchFreeClock.wallMicroseconds())
        let purge = shouldPurge(now: UInt64(now))
        let values: [SQLValue] = [
            .text(first.key), .integer(now), .integer(first.intervalMicroseconds), .integer(first.toleranceMicroseconds),
            .text(second.key), .integer(second.intervalMicroseconds), .integer(second.toleranceMicroseconds),
        ]
        let row = try await database.read { connection in
            if purge {
                try connection.run("DELETE FROM rate_limits WHERE tat < ?", [.integer(now)])
            }
            // Both buckets move in one statement (data-modifying WITH): the second only when the first
            // allowed. The last two columns are the buckets as they were before it, for a refusal's answer.
            return try connection.query(
                """
                WITH first AS (
                    INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3)
                    ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $2) + $3
                    WHERE GREATEST(rate_limits.tat, $2) - $4 <= $2
                    RETURNING tat
                ), second AS (
                    INSERT INTO rate_limits (key, tat) SELECT $5, $2 + $6 WHERE EXISTS (SELECT 1 FROM first)
                    ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $2) + $6
                    WHERE GREATEST(rate_limits.tat, $2) - $7 <= $2
                    RETURNING tat
                )
                SELECT (SELECT tat FROM first), (SELECT tat FROM second),
                       (SELECT tat FROM rate_limits WHERE key = $1), (SELECT tat FROM rate_limits WHERE key = $5)
                """,
                values
            ).first
        }
        guard let row else { throw StorageError.corrupt }
        let firstDecision = Self.decision(first, now: now, counted: row[0].int64Value, before: row[2].int64Value)
        guard firstDecision.allowed else { return (firstDecision, nil) }
        return (firstDecision, Self.decision(second, now: now, counted: row[1].int64Value, before: row[3].int64Value))
    }

    /// The answer for `limit`: allowed when the statement moved its bucket to `counted`; refused otherwise,
    /// with the bucket as it was (`before`).
    private static func decision(_ limit: Limit, now: Int64, counted: Int64?, before: Int64?) -> RateLimiter.Decision {
        func ceilSeconds(_ microseconds: Int64) -> Int { Int((max(0, microseconds) + 999_999) / 1_000_000) }
        let interval = limit.intervalMicroseconds
        guard let tat = counted else {
            let current = before ?? now
            return RateLimiter.Decision(
                allowed: false, remaining: 0, retryAfterSeconds: max(1, ceilSeconds(current - limit.toleranceMicroseconds - now)),
                resetSeconds: ceilSeconds(current - now)
            )
        }
        let used = (tat - now + interval - 1) / interval
        return RateLimiter.Decision(
            allowed: true, remaining: max(0, limit.burst - Int(used)), retryAfterSeconds: 0, resetSeconds: ceilSeconds(tat - now)
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
