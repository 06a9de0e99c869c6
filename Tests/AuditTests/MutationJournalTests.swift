import Audit
import Storage
import Testing
import TestSupport

/// An audited mutation's quota charges and intent row written as one (`SQLMutationJournal`): all of them in one
/// commit, or — a refused charge — none.
struct MutationJournalTests {
    static func intent(_ n: Int) -> AuditEntry {
        AuditEntry(tenant: "acme", actor: "user-\(n)", action: .cardBlock, target: "card-\(n)", outcome: .intent)
    }

    @Test(arguments: StoreBackend.allCases) func chargesAndTheIntentAreKeptTogetherOrNotAtAll(backend: StoreBackend) async throws {
        let fixture = try await AuditFixture(backend: backend)
        let journal = fixture.journal
        let eur = try #require(QuotaOperation.money("EUR"))
        let charges = [MutationCharge(operation: .cardsBlock, units: 1, limit: 5), MutationCharge(operation: eur, units: 700, limit: 1_000)]

        guard case .begun(let decisions) = try await journal.begin(tenant: "acme", charges: charges, intent: [Self.intent(1)]) else {
            Issue.record("the first start was refused")
            return
        }
        #expect(decisions.map(\.used) == [1, 700] && decisions.allSatisfy(\.allowed))
        // The second money charge would pass its limit: refused, and the count charge before it is undone too.
        let refused = try await journal.begin(tenant: "acme", charges: charges, intent: [Self.intent(2)])
        guard case .refused(let index, let decision, let earlier) = refused else {
            Issue.record("a start over the money limit was not refused: \(refused)")
            return
        }
        #expect(index == 1 && !decision.allowed && decision.used == 700)
        #expect(earlier.map(\.used) == [2])  // as it was taken inside the rolled-back transaction
        let usage = try await fixture.ledger.usage(tenant: "acme", day: nil)
        #expect(usage[.cardsBlock] == 1 && usage[eur] == 700)
        #expect(try await fixture.log.query(AuditFilter(), limit: 100).records.map(\.actor) == ["user-1"])
        // No charges: only the intent.
        guard case .begun(let none) = try await journal.begin(tenant: "acme", charges: [], intent: [Self.intent(3)]) else {
            Issue.record("a start without charges was refused")
            return
        }
        #expect(none.isEmpty)
        try await fixture.reopen()
        #expect(try await fixture.log.query(AuditFilter(), limit: 100).records.map(\.actor) == ["user-1", "user-3"])
        #expect(try await fixture.log.verify().ok)
    }

    @Test(arguments: StoreBackend.allCases) func concurrentStartsTakeExactlyTheLimitAndWriteOneIntentEach(backend: StoreBackend) async throws {
        let fixture = try await AuditFixture(backend: backend)
        let journal = fixture.journal
        let starts = try await withThrowingTaskGroup(of: MutationStart.self) { group in
            for n in 0..<60 {
                group.addTask {
                    try await journal.begin(
                        tenant: "acme", charges: [MutationCharge(operation: .cardsBlock, units: 1, limit: 10)], intent: [Self.intent(n)]
                    )
                }
            }
            return try await group.reduce(into: [MutationStart]()) { $0.append($1) }
        }
        let begun = starts.filter { if case .begun = $0 { true } else { false } }
        #expect(begun.count == 10)
        #expect(try await fixture.ledger.usage(tenant: "acme", day: nil)[.cardsBlock] == 10)
        #expect(try await fixture.log.query(AuditFilter(), limit: 100).records.count == 10)
        #expect(try await fixture.log.verify().ok)
    }

    @Test func aFailedWriteKeepsNeitherTheChargesNorTheIntent() async throws {
        let fixture = try await AuditFixture(backend: .sqlite)
        _ = try await fixture.journal.begin(tenant: "acme", charges: [MutationCharge(operation: .cardsBlock, units: 1, limit: 5)], intent: [Self.intent(1)])
        // The file capped at its size: the next write cannot grow it.
        try await fixture.database.write { try $0.setMaxPageCount(1) }
        let big = AuditEntry(tenant: "acme", actor: String(repeating: "x", count: 200), action: .cardBlock, target: "card", outcome: .intent)
        var failed = false
        for _ in 0..<2_000 where !failed {
            do {
                _ = try await fixture.journal.begin(
                    tenant: "acme", charges: [MutationCharge(operation: .cardsBlock, units: 1, limit: 1_000_000)], intent: Array(repeating: big, count: 20)
                )
            } catch let error as StorageError {
                #expect(error == .full)
                failed = true
            }
        }
        #expect(failed)
        let verification = try await fixture.log.verify()
        #expect(verification.ok)
        // Every start that returned kept its unit with its rows (20 each), the failed one neither.
        #expect((verification.rows - 1) % 20 == 0)
        #expect(try await fixture.ledger.usage(tenant: "acme", day: nil)[.cardsBlock] == 1 + (verification.rows - 1) / 20)
    }
}
