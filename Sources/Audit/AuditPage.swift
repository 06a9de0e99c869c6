/// One page of `query` results, oldest first.
public struct AuditPage: Sendable, Hashable {
    public var records: [AuditRecord]
    /// Pass as `AuditFilter.afterSeq` for the next page; `nil` when this page was the last.
    public var nextCursor: Int64?

    public init(records: [AuditRecord], nextCursor: Int64?) {
        self.records = records
        self.nextCursor = nextCursor
    }
}
