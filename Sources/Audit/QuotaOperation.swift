/// An operation with a daily per-tenant quota; the raw value is the name used in tenant
/// configuration (`--quota cards.issue=1000`) and in the ledger.
public enum QuotaOperation: String, Sendable, Hashable, CaseIterable {
    case cardsIssue = "cards.issue"
    case cardsBlock = "cards.block"
    case cardsUnblock = "cards.unblock"
    case cardsDestroy = "cards.destroy"
    case bulkOperations = "bulk.operations"
}
