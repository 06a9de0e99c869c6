/// Weavr's `BulkProcess`.
public struct BulkProcess: Sendable, Equatable, Codable, WeavrPageItem {
    public static let pageKey = "bulkProcesses"

    public var bulkId: String
    /// `SUBMITTED`, `RUNNING`, `PARTIALLY_COMPLETED`, `COMPLETED`, `FAILED`, `PAUSED`, `CANCELLED`.
    public var status: String
    public var submittedItemsCount: Int?
    /// Epoch milliseconds.
    public var executionStart: Int64?
    public var executionFinish: Int64?
    /// The equivalent single operation's path.
    public var operation: String?
    /// `ON_FAILURE_STOP` or `ON_FAILURE_CONTINUE`.
    public var mode: String?

    /// Whether the process can no longer change.
    public var isFinal: Bool {
        ["COMPLETED", "PARTIALLY_COMPLETED", "FAILED", "CANCELLED"].contains(status)
    }
}
