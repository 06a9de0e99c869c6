import Foundation
@testable import Gateway
import Storage
import Synchronization
import Testing
import TestSupport

/// The request rates every instance shares on PostgreSQL (`SharedRateLimiter`): the requests waiting together
/// are decided by one statement, and the count stays exact across instances.
@Suite("Shared rate limiter (PostgreSQL)")
struct SharedRateLimiterTests {
    /// `rate` per hour: nothing refills during a test.
    static func limit(_ key: String, _ rate: Int) -> SharedRateLimiter.Limit {
        SharedRateLimiter.Limit(key: key, rate: rate, period: .seconds(3600), burst: rate)
    }

    static func open(_ url: String) async throws -> Database {
        try await offPool { try Database.connect(url: url, migrations: .gateway) }
    }

    @Test func oneRequestAtATimeCountsDownAndRefusesWithRetryAfter() async throws {
        try await PostgresTestDatabase.with { postgres in
            let database = try await Self.open(postgres.url)
            defer { database.close() }
            let limiter = SharedRateLimiter(database: database)
            var remaining: [Int] = []
            for _ in 0..<3 {
                let decision = try await limiter.acquire(Self.limit("s:acme:one", 3), then: Self.limit("t:acme", 10))
                #expect(decision.first.allowed && decision.second?.allowed == true)
                remaining.append(decision.first.remaining)
            }
            #expect(remaining == [2, 1, 0])
            let refused = try await limiter.acquire(Self.limit("s:acme:one", 3), then: Self.limit("t:acme", 10))
            #expect(!refused.first.allowed && refused.second == nil)
            // The next slot is one interval (20 minutes) away.
            #expect(refused.first.retryAfterSeconds > 1_100 && refused.first.retryAfterSeconds <= 1_200)
            // The session's refusal did not spend the tenant's budget: 7 left for another session.
            let other = try await limiter.acquire(Self.limit("s:acme:two", 3), then: Self.limit("t:acme", 10))
            #expect(other.second?.remaining == 6)
            #expect(limiter.statementCount == 5)
        }
    }

    /// While one statement waits (here on a row another connection holds), the requests that arrive meanwhile are
    /// all decided by the next statement, each with its own answer.
    @Test func requestsThatArriveDuringAStatementShareTheNextOne() async throws {
        try await PostgresTestDatabase.with { postgres in
            let database = try await Self.open(postgres.url)
            let holder = try await Self.open(postgres.url)
            defer {
                database.close()
                holder.close()
            }
            let limiter = SharedRateLimiter(database: database)
            _ = try await limiter.acquire(Self.limit("s:acme:0", 10), then: Self.limit("t:acme", 25))

            // Another connection holds the tenant's row: the next statement waits on it.
            let locked = Flag()
            let release = DispatchSemaphore(value: 0)
            let holding = Task {
                try await holder.read { connection in
                    _ = try connection.run("BEGIN", [])
                    _ = try connection.query("SELECT tat FROM rate_limits WHERE key = 't:acme' FOR UPDATE", [])
                    locked.value.store(true, ordering: .relaxed)
                    release.wait()
                    _ = try connection.run("COMMIT", [])
                }
            }
            try await waitUntil(timeout: .seconds(30)) { locked.value.load(ordering: .relaxed) }
            let blocked = Task { try await limiter.acquire(Self.limit("s:acme:0", 10), then: Self.limit("t:acme", 25)) }
            try await waitUntil(timeout: .seconds(30)) { limiter.statementCount == 2 }
            // 40 more requests over four sessions: they wait for the blocked statement.
            let more = Task {
                try await withThrowingTaskGroup(of: SharedRateLimiter.Decisions.self) { group in
                    for index in 0..<40 {
                        group.addTask { try await limiter.acquire(Self.limit("s:acme:\(1 + index % 4)", 10), then: Self.limit("t:acme", 25)) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            try await waitUntil(timeout: .seconds(30)) { limiter.waitingCount == 40 }
            release.signal()
            try await holding.value
            let first = try await blocked.value
            #expect(first.first.allowed && first.second?.allowed == true)
            let decisions = try await more.value
            #expect(limiter.statementCount == 3, "the 40 waiting requests took \(limiter.statementCount - 2) statements")
            // Four sessions of 10 each: every session request is let through; the tenant has 23 left of 25.
            #expect(decisions.allSatisfy { $0.first.allowed })
            #expect(decisions.filter { $0.second?.allowed == true }.count == 23)
            // Each answer is its own: the tenant's remaining counts are 22, 21, …, 0, each once.
            let remaining = decisions.compactMap { $0.second }.filter(\.allowed).map(\.remaining).sorted()
            #expect(remaining == Array(0...22))
        }
    }

    /// Two instances (two limiters, two connections pools) on one database, many requests at once: exactly each
    /// session's and the tenant's budget is let through, never one more.
    @Test func twoInstancesTogetherLetThroughExactlyTheBudget() async throws {
        try await PostgresTestDatabase.with { postgres in
            let a = try await Self.open(postgres.url)
            let b = try await Self.open(postgres.url)
            defer {
                a.close()
                b.close()
            }
            let limiters = [SharedRateLimiter(database: a), SharedRateLimiter(database: b)]
            let decisions = try await withThrowingTaskGroup(of: (Int, SharedRateLimiter.Decisions).self) { group in
                for index in 0..<240 {
                    let session = index % 6
                    group.addTask {
                        (session, try await limiters[index % 2].acquire(Self.limit("s:acme:\(session)", 30), then: Self.limit("t:acme", 100)))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for session in 0..<6 {
                #expect(decisions.filter { $0.0 == session && $0.1.first.allowed }.count == 30, "session \(session)")
            }
            #expect(decisions.filter { $0.1.second?.allowed == true }.count == 100)
            #expect(decisions.filter { !$0.1.first.allowed }.allSatisfy { $0.1.second == nil })
        }
    }

    @Test func arrayLiteralsQuoteEveryElement() {
        #expect(SharedRateLimiter.arrayLiteral(["s:a:1", #"q"u\o"#, ""]) == #"{"s:a:1","q\"u\\o",""}"#)
        #expect(SharedRateLimiter.arrayLiteral(["1", "-2"], quoted: false) == "{1,-2}")
        #expect(SharedRateLimiter.arrayLiteral([]) == "{}")
        // Multi-byte UTF-8 passes through; only `"` and `\` are escaped.
        #expect(SharedRateLimiter.arrayLiteral(["é\"☃\\x", "s:tenant:ü"]) == #"{"é\"☃\\x","s:tenant:ü"}"#)
    }
}

private final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
