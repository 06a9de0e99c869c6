/// One operation of a bulk process.
public struct BulkOperation: Sendable, Equatable, Codable, WeavrPageItem {
    public static let pageKey = "operations"

    public var operationId: String?
    public var sequence: Int64?
    public var method: String?
    public var path: String?
    /// `SUBMITTED`, `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`.
    public var status: String
    /// The request body as JSON text.
    public var requestPayload: String?
    /// The answer as JSON text.
    public var responsePayload: String?
}
