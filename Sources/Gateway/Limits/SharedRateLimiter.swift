import Storage
import Synchronization

/// GCRA request rates kept in the shared database, so that several instances behind a load balancer
/// enforce one limit together (docs/ARCHITECTURE.md, "Several instances").
///
/// The algorithm is the same as `RateLimiter`'s (the token bucket's single-timestamp form), with the
/// theoretical arrival time (`tat`, µs) of each key in table `rate_limits`. Each request is counted against
/// its session's bucket and, only when that let it through, its tenant's.
///
/// **Batches.** An instance has at most one rate statement in flight. The requests that arrive while it runs
/// wait and are decided together by the next one (at most `batchLimit`): one `INSERT … ON CONFLICT DO UPDATE`
/// per bucket moves it by as many requests as it has room for (`granted`, read back from the row), first the
/// sessions' buckets and then, by the sum granted to their sessions, the tenants'. The database runs each row's
/// update under the row's lock, so concurrent statements of every instance are counted exactly: never more
/// than the limit, whatever the spread. Every statement locks sessions before tenants, each in key order, so
/// two instances' statements cannot deadlock. Before batching, every request was its own statement and all of
/// a tenant's requests queued on its row's lock, one round trip each (bench/RESULTS.md). (Kong's `cluster`
/// strategy and Tyk's DRL sync counters in the background and can overshoot; this costs one round trip per
/// batch instead.)
///
/// Within a batch the requests of one bucket are let through in arrival order. The table is `UNLOGGED` on
/// PostgreSQL: its commits need no WAL flush, and losing it in a database crash only refills every bucket. The
/// instances' clocks are used (µs); NTP-level skew between them shifts a bucket by that skew, not more.
final class SharedRateLimiter: Sendable {
    /// The most requests one statement decides.
    static let batchLimit = 512

    private let database: Database
    private let lastPurge = Mutex<UInt64>(0)
    private let queue = Mutex(Queue())
    private let statements = Atomic<Int>(0)

    /// Rate statements sent so far (tests, metrics).
    var statementCount: Int { statements.load(ordering: .relaxed) }
    /// Requests waiting for the next statement (tests).
    var waitingCount: Int { queue.withLock { $0.waiting.count } }

    private struct Queue {
        var waiting: [Waiter] = []
        var running = false
    }

    private struct Waiter {
        var first: Limit
        var second: Limit
        var continuation: UnsafeContinuation<Result<Decisions, any Error>, Never>
    }

    typealias Decisions = (first: RateLimiter.Decision, second: RateLimiter.Decision?)

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
    /// `second` (its batch's statement does both). `second` is nil when `first` refused. Throws a
    /// `StorageError` when the database cannot be reached.
    func acquire(_ first: Limit, then second: Limit) async throws -> Decisions {
        // Nothing in flight: this request's statement runs at once, on the caller's task; whatever arrives
        // meanwhile is drained afterwards.
        let alone = queue.withLock { queue -> Bool in
            guard !queue.running else { return false }
            queue.running = true
            return true
        }
        if alone {
            let result: Result<Decisions, any Error>
            do {
                result = .success(try await decide([(first, second)])[0])
            } catch {
                result = .failure(error)
            }
            let arrivedMeanwhile = queue.withLock { queue -> Bool in
                if queue.waiting.isEmpty { queue.running = false }
                return !queue.waiting.isEmpty
            }
            if arrivedMeanwhile { Task(executorPreference: database.eventLoopOfCaller) { await self.drain() } }
            return try result.get()
        }
        let result = await withUnsafeContinuation { continuation in
            let start = queue.withLock { queue -> Bool in
                queue.waiting.append(Waiter(first: first, second: second, continuation: continuation))
                guard !queue.running else { return false }
                queue.running = true
                return true
            }
            if start { Task(executorPreference: database.eventLoopOfCaller) { await self.drain() } }
        }
        return try result.get()
    }

    /// Runs one statement per batch of waiting requests until none waits.
    private func drain() async {
        while true {
            let batch = queue.withLock { queue -> [Waiter] in
                let count = min(queue.waiting.count, Self.batchLimit)
                let batch = Array(queue.waiting.prefix(count))
                queue.waiting.removeFirst(count)
                if batch.isEmpty { queue.running = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let decisions = try await decide(batch.map { ($0.first, $0.second) })
                for (waiter, decision) in zip(batch, decisions) { waiter.continuation.resume(returning: .success(decision)) }
            } catch {
                for waiter in batch { waiter.continuation.resume(returning: .failure(error)) }
            }
        }
    }

    /// One bucket's row after the statement: its `tat` and how many of the batch's requests it let through.
    private struct Moved {
        var tat: Int64
        var granted: Int
    }

    private func decide(_ batch: [(first: Limit, second: Limit)]) async throws -> [Decisions] {
        let now = Int64(DispatchFreeClock.wallMicroseconds())
        let purge = shouldPurge(now: UInt64(now))
        let values: [SQLValue] = [
            .integer(now),
            .text(Self.arrayLiteral(batch.map(\.first.key))),
            .text(Self.arrayLiteral(batch.map { String($0.first.intervalMicroseconds) }, quoted: false)),
            .text(Self.arrayLiteral(batch.map { String($0.first.toleranceMicroseconds) }, quoted: false)),
            .text(Self.arrayLiteral(batch.map(\.second.key))),
            .text(Self.arrayLiteral(batch.map { String($0.second.intervalMicroseconds) }, quoted: false)),
            .text(Self.arrayLiteral(batch.map { String($0.second.toleranceMicroseconds) }, quoted: false)),
        ]
        statements.wrappingAdd(1, ordering: .relaxed)
        if purge {
            try await database.read { connection in
                try connection.run("DELETE FROM rate_limits WHERE tat < ?", [.integer(now)])
            }
        }
        // On the calling event loop's own connection (`Database.query`): no reader thread.
        let rows = try await database.query(Self.statement, values)
        var moved: [String: Moved] = [:]
        for row in rows {
            guard let key = row[0].stringValue, let tat = row[1].int64Value, let granted = row[2].int64Value else {
                throw StorageError.corrupt
            }
            moved[key] = Moved(tat: tat, granted: Int(granted))
        }
        // Each bucket lets its first `granted` requests of the batch through, in arrival order: the i-th of them
        // counted up to `tat - (granted - 1 - i) · interval`.
        var used: [String: Int] = [:]
        func next(_ limit: Limit) throws -> RateLimiter.Decision {
            guard let bucket = moved[limit.key] else { throw StorageError.corrupt }
            let index = used[limit.key, default: 0]
            used[limit.key] = index + 1
            guard index < bucket.granted else { return Self.refused(limit, now: now, tat: bucket.tat) }
            return Self.allowed(limit, now: now, tat: bucket.tat - Int64(bucket.granted - 1 - index) * limit.intervalMicroseconds)
        }
        var decisions: [Decisions] = []
        decisions.reserveCapacity(batch.count)
        for waiter in batch {
            let first = try next(waiter.first)
            decisions.append((first, first.allowed ? try next(waiter.second) : nil))
        }
        return decisions
    }

    /// Sessions' buckets (`$2`–`$4`: key, interval, tolerance per request), then tenants' (`$5`–`$7`), at `$1`.
    /// A bucket wanted by `n` requests lets through `min(n, room)`, where room is how many fit before its
    /// tolerance; a tenant is wanted only by the requests its sessions let through. Rows come back as
    /// (key, tat, granted) for every bucket the statement touched. The two moves are the same SQL but for the rows
    /// they read (`session_wanted`, `tenant_wanted`); they stay written out, one literal, because
    /// `bench/rate-statement.sh` runs this statement as it reads it here.
    private static let statement = """
        WITH request AS (
            SELECT * FROM unnest(CAST($2 AS text[]), CAST($3 AS bigint[]), CAST($4 AS bigint[]),
                                 CAST($5 AS text[]), CAST($6 AS bigint[]), CAST($7 AS bigint[]))
                AS r(skey, siv, stol, tkey, tiv, ttol)
        ), session_wanted AS (
            SELECT skey AS key, count(*) AS n, min(siv) AS iv, min(stol) AS tol, min(tkey) AS tkey, min(tiv) AS tiv, min(ttol) AS ttol
            FROM request GROUP BY skey
        ), session AS (
            INSERT INTO rate_limits AS b (key, tat, granted)
            SELECT key, $1 + LEAST(n, tol / iv + 1) * iv, LEAST(n, tol / iv + 1) FROM session_wanted ORDER BY key
            ON CONFLICT (key) DO UPDATE SET (tat, granted) = (
                SELECT GREATEST(b.tat, $1) + g.n * w.iv, g.n
                FROM session_wanted w,
                     LATERAL (SELECT CASE WHEN $1 + w.tol < GREATEST(b.tat, $1) THEN 0
                                          ELSE LEAST(w.n, ($1 + w.tol - GREATEST(b.tat, $1)) / w.iv + 1) END AS n) g
                WHERE w.key = b.key)
            RETURNING key, tat, granted
        ), tenant_wanted AS (
            SELECT w.tkey AS key, CAST(sum(s.granted) AS bigint) AS n, min(w.tiv) AS iv, min(w.ttol) AS tol
            FROM session_wanted w JOIN session s ON s.key = w.key
            GROUP BY w.tkey HAVING sum(s.granted) > 0
        ), tenant AS (
            INSERT INTO rate_limits AS b (key, tat, granted)
            SELECT key, $1 + LEAST(n, tol / iv + 1) * iv, LEAST(n, tol / iv + 1) FROM tenant_wanted ORDER BY key
            ON CONFLICT (key) DO UPDATE SET (tat, granted) = (
                SELECT GREATEST(b.tat, $1) + g.n * w.iv, g.n
                FROM tenant_wanted w,
                     LATERAL (SELECT CASE WHEN $1 + w.tol < GREATEST(b.tat, $1) THEN 0
                                          ELSE LEAST(w.n, ($1 + w.tol - GREATEST(b.tat, $1)) / w.iv + 1) END AS n) g
                WHERE w.key = b.key)
            RETURNING key, tat, granted
        )
        SELECT key, tat, granted FROM session UNION ALL SELECT key, tat, granted FROM tenant
        """

    /// A PostgreSQL array literal: `{"a","b"}` (elements quoted, `"` and `\` escaped) or `{1,2}`. Built as UTF-8
    /// bytes in one buffer (`"` and `\` are ASCII, never part of a multi-byte sequence).
    static func arrayLiteral(_ elements: [String], quoted: Bool = true) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 + elements.reduce(0) { $0 + $1.utf8.count + 3 })
        bytes.append(UInt8(ascii: "{"))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard quoted else {
                bytes.append(contentsOf: element.utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func ceilSeconds(_ microseconds: Int64) -> Int { Int((max(0, microseconds) + 999_999) / 1_000_000) }

    /// Let through, counted up to `tat`.
    private static func allowed(_ limit: Limit, now: Int64, tat: Int64) -> RateLimiter.Decision {
        let interval = limit.intervalMicroseconds
        let used = (tat - now + interval - 1) / interval
        return RateLimiter.Decision(
            allowed: true, remaining: max(0, limit.burst - Int(used)), retryAfterSeconds: 0, resetSeconds: ceilSeconds(tat - now)
        )
    }

    /// Refused by a bucket now at `tat`.
    private static func refused(_ limit: Limit, now: Int64, tat: Int64) -> RateLimiter.Decision {
        RateLimiter.Decision(
            allowed: false, remaining: 0, retryAfterSeconds: max(1, ceilSeconds(tat - limit.toleranceMicroseconds - now)),
            resetSeconds: ceilSeconds(tat - now)
        )
    }

    /// Every minute one batch also deletes the buckets that have refilled (their rows say nothing).
    private func shouldPurge(now: UInt64) -> Bool {
        lastPurge.withLock { last in
            guard now >= last + 60_000_000 else { return false }
            last = now
            return true
        }
    }
}
