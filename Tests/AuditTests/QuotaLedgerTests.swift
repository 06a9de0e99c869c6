import TestSupport
import Audit
import Storage
import Testing

struct QuotaLedgerTests {
    @Test(arguments: StoreBackend.allCases) func hundredConcurrentConsumesAgainstALimitOfTenAllowExactlyTen(backend: StoreBackend) async throws {
        let fixture = try await AuditFixture(backend: backend)
        let ledger = fixture.ledger
        let decisions = try await withThrowingTaskGroup(of: QuotaDecision.self) { group in
            for _ in 0..<100 {
                group.addTask { try await ledger.consume(tenant: "acme", operation: .cardsBlock, limit: 10) }
            }
            var decisions: [QuotaDecision] = []
            for try await decision in group { decisions.append(decision) }
            return decisions
        }
        #expect(decisions.filter(\.allowed).count == 10)
        #expect(Set(decisions.filter(\.allowed).map(\.used)) == Set(1...10))
        #expect(decisions.filter { !$0.allowed }.allSatisfy { $0.used == 10 && $0.remaining == 0 })
        #expect(try await fixture.ledger.usage(tenant: "acme", day: nil)[.cardsBlock] == 10)

        try await fixture.reopen()
        #expect(try await fixture.ledger.usage(tenant: "acme", day: nil)[.cardsBlock] == 10)
        #expect(try await !fixture.ledger.consume(tenant: "acme", operation: .cardsBlock, limit: 10).allowed)
    }

    @Test(arguments: StoreBackend.allCases) func moneyQuotasCountMinorUnitsExactlyUnderConcurrency(backend: StoreBackend) async throws {
        let fixture = try await AuditFixture(backend: backend)
        let ledger = fixture.ledger
        let eur = try #require(QuotaOperation.money("EUR"))
        // 100 transfers of 150.00 EUR at once against 10,000.00 a day: exactly 66 fit (9,900.00).
        let decisions = try await withThrowingTaskGroup(of: QuotaDecision.self) { group in
            for _ in 0..<100 {
                group.addTask { try await ledger.consume(tenant: "acme", operation: eur, amount: 15_000, limit: 1_000_000) }
            }
            return try await group.reduce(into: [QuotaDecision]()) { $0.append($1) }
        }
        #expect(decisions.filter(\.allowed).count == 66)
        #expect(try await ledger.usage(tenant: "acme", day: nil)[eur] == 990_000)
        // What is left (100.00) takes 100.00 but not 100.01; one amount above the whole limit is refused as is.
        #expect(try await !ledger.consume(tenant: "acme", operation: eur, amount: 10_001, limit: 1_000_000).allowed)
        #expect(try await ledger.consume(tenant: "acme", operation: eur, amount: 10_000, limit: 1_000_000).remaining == 0)
        let tooBig = try await ledger.consume(tenant: "acme", operation: eur, amount: 2_000_000, limit: 1_000_000)
        #expect(!tooBig.allowed && tooBig.used == 1_000_000)
        // Another currency is another budget; a money quota's name is `money.` and an ISO code.
        #expect(try await ledger.consume(tenant: "acme", operation: #require(.money("GBP")), amount: 500, limit: 1_000).allowed)
        #expect(QuotaOperation.money("eur") == nil && QuotaOperation.money("EURO") == nil)
        #expect(QuotaOperation(rawValue: "money.USD")?.moneyCurrency == "USD")
    }

    @Test(arguments: StoreBackend.allCases) func countersAreSeparatePerTenantOperationAndDay(backend: StoreBackend) async throws {
        let fixture = try await AuditFixture(backend: backend)
        let ledger = fixture.ledger
        let today = UTCDay(containing: fixture.clock.now)
        _ = try await ledger.consume(tenant: "acme", operation: .cardsIssue, amount: 3, limit: 5, day: nil)
        _ = try await ledger.consume(tenant: "beta", operation: .cardsIssue, amount: 1, limit: 5, day: nil)
        _ = try await ledger.consume(tenant: "acme", operation: .cardsDestroy, amount: 2, limit: 5, day: nil)
        let denied = try await ledger.consume(tenant: "acme", operation: .cardsIssue, amount: 3, limit: 5, day: nil)
        #expect(denied == QuotaDecision(allowed: false, used: 3, limit: 5, remaining: 2, resetAt: today.endMilliseconds))

        let usage = try await ledger.usage(tenant: "acme", day: today)
        #expect(usage[.cardsIssue] == 3 && usage[.cardsDestroy] == 2 && usage[.bulkOperations] == 0)
        #expect(usage.count == QuotaOperation.counted.count)

        fixture.clock.advance(by: 86_400_000)
        let tomorrow = try await ledger.consume(tenant: "acme", operation: .cardsIssue, amount: 5, limit: 5, day: nil)
        #expect(tomorrow == QuotaDecision(allowed: true, used: 5, limit: 5, remaining: 0, resetAt: today.next.endMilliseconds))
        #expect(try await ledger.usage(tenant: "acme", day: today)[.cardsIssue] == 3)

        #expect(try await ledger.prune(before: today.next) == 3)
        #expect(try await ledger.usage(tenant: "acme", day: today)[.cardsIssue] == 0)
    }

    @Test(arguments: StoreBackend.allCases) func releaseGivesUnitsBackButNeverBelowZero(backend: StoreBackend) async throws {
        let fixture = try await AuditFixture(backend: backend)
        let ledger = fixture.ledger
        _ = try await ledger.consume(tenant: "acme", operation: .bulkOperations, amount: 4, limit: 4, day: nil)
        #expect(try await !ledger.consume(tenant: "acme", operation: .bulkOperations, limit: 4).allowed)
        #expect(try await ledger.release(tenant: "acme", operation: .bulkOperations, amount: 1, day: nil) == 3)
        #expect(try await ledger.consume(tenant: "acme", operation: .bulkOperations, limit: 4).allowed)
        #expect(try await ledger.release(tenant: "acme", operation: .bulkOperations, amount: 100, day: nil) == 0)
        #expect(try await ledger.release(tenant: "nobody", operation: .bulkOperations, amount: 1, day: nil) == 0)
    }

    @Test(arguments: StoreBackend.allCases) func consumeOfZeroReportsWithoutCounting(backend: StoreBackend) async throws {
        let fixture = try await AuditFixture(backend: backend)
        let decision = try await fixture.ledger.consume(tenant: "acme", operation: .cardsBlock, amount: 0, limit: 0, day: nil)
        #expect(decision.allowed && decision.used == 0 && decision.remaining == 0)
    }

    @Test(arguments: [
        ("1970-01-01", Int64(0)), ("2024-02-29", Int64(19_782)), ("2000-03-01", Int64(11_017)), ("1969-12-31", Int64(-1)),
    ])
    func utcDaysParseAndFormat(text: String, days: Int64) throws {
        let day = try #require(UTCDay(text))
        #expect(day.daysSinceEpoch == days)
        #expect(day.description == text)
        #expect(UTCDay(containing: day.startMilliseconds) == day)
        #expect(UTCDay(containing: day.endMilliseconds - 1) == day)
    }

    @Test(arguments: ["2023-02-29", "2024-13-01", "2024-00-10", "24-01-01", "2024-1-01", "2024-01-32", "x"])
    func utcDayRefusesImpossibleDates(_ text: String) {
        #expect(UTCDay(text) == nil)
    }
}
