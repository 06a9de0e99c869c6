public import GatewayCore
public import Storage

/// `MutationJournal` on the gateway's database: the charges (`SQLQuotaLedger.consume`) and the intent rows
/// (`SQLAuditLog.insert`) in one `Database.write` job, so one commit (group-committed with whatever else
/// waits) makes them durable together. A refused charge throws inside the job, which rolls back the
/// job's own savepoint: the charges before it are undone with it.
public struct SQLMutationJournal: MutationJournal {
    private let database: Database
    private let clock: any WallClock

    public init(database: Database, clock: any WallClock = SystemWallClock()) {
        self.database = database
        self.clock = clock
    }

    /// Thrown inside the job to roll it back when a charge is refused.
    private struct Refused: Error {
        var index: Int
        var decision: QuotaDecision
        var earlier: [QuotaDecision]
    }

    public func begin(tenant: String, charges: [MutationCharge], intent: [AuditEntry]) async throws -> MutationStart {
        let now = clock.now
        let day = UTCDay(containing: now)
        do {
            let decisions = try await database.write { connection in
                var decisions: [QuotaDecision] = []
                decisions.reserveCapacity(charges.count)
                for (index, charge) in charges.enumerated() {
                    let decision = try SQLQuotaLedger.consume(
                        tenant: tenant, operation: charge.operation, amount: charge.units, limit: charge.limit, day: day, on: connection
                    )
                    guard decision.allowed else { throw Refused(index: index, decision: decision, earlier: decisions) }
                    decisions.append(decision)
                }
                if !intent.isEmpty { _ = try SQLAuditLog.insert(intent, time: now, on: connection) }
                return decisions
            }
            return .begun(decisions)
        } catch let refused as Refused {
            return .refused(index: refused.index, decision: refused.decision, earlier: refused.earlier)
        }
    }
}
