/// Weavr's `BulkProcessDetails`: a `BulkProcess` plus how many operations are in each status.
public struct BulkProcessDetails: Sendable, Equatable, Codable {
    /// `{status, count}`.
    public struct StatusCount: Sendable, Equatable, Codable {
        public var status: String
        public var count: Int
    }

    public var bulkId: String
    public var status: String
    public var submittedItemsCount: Int?
    public var executionStart: Int64?
    public var executionFinish: Int64?
    public var operation: String?
    public var mode: String?
    public var operationStatusCounts: [StatusCount]?

    /// Whether the process can no longer change.
    public var isFinal: Bool {
        ["COMPLETED", "PARTIALLY_COMPLETED", "FAILED", "CANCELLED"].contains(status)
    }
}
