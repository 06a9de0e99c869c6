/// The start of an audited mutation, written as one: its daily-quota charges and its intent row in one
/// transaction, durable before the caller goes on to Weavr (docs/ARCHITECTURE.md "Quotas and audit").
///
/// Before, the charges and the intent were separate writes (a commit each, and on a refusal or a failed
/// intent, more writes to give the units back). Here a refused charge or a failed write leaves nothing: no
/// unit counted, no row.
public protocol MutationJournal: Sendable {
    /// Takes `charges` in order, each atomically like `QuotaLedger.consume` (today's UTC day), and, when all
    /// are within their limits, appends `intent`, in one commit.
    ///
    /// A refused charge is answered with `.refused`, and nothing of the call is kept. A `StorageError` with
    /// `isUnavailable` means nothing was written: the caller fails the mutation closed (503).
    func begin(tenant: String, charges: [MutationCharge], intent: [AuditEntry]) async throws -> MutationStart
}

/// Units of one daily quota a mutation takes, under the tenant's limit for it.
public struct MutationCharge: Sendable, Equatable {
    public var operation: QuotaOperation
    public var units: Int
    /// The tenant's limit for `operation` (a charge without a limit is not made).
    public var limit: Int

    public init(operation: QuotaOperation, units: Int, limit: Int) {
        precondition(units >= 0 && limit >= 0, "quota amounts and limits are not negative")
        self.operation = operation
        self.units = units
        self.limit = limit
    }
}

/// The answer of `MutationJournal.begin`.
public enum MutationStart: Sendable, Equatable {
    /// Every charge was taken and the intent written; one decision per charge, in order.
    case begun([QuotaDecision])
    /// The charge at `index` was refused (`decision`); `earlier` are the decisions of the charges before it,
    /// which were given back with it (nothing was counted, nothing appended).
    case refused(index: Int, decision: QuotaDecision, earlier: [QuotaDecision])
}
