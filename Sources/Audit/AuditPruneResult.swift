/// What `AuditLog.prune` removed.
public struct AuditPruneResult: Sendable, Hashable {
    /// Rows deleted.
    public var rowsDeleted: Int
    /// The seq of the last deleted row, now the anchor (unchanged when nothing was deleted).
    public var anchorSeq: Int64

    public init(rowsDeleted: Int, anchorSeq: Int64) {
        self.rowsDeleted = rowsDeleted
        self.anchorSeq = anchorSeq
    }
}
