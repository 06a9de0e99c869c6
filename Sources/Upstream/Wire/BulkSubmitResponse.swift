/// 201 of a bulk submit.
public struct BulkSubmitResponse: Sendable, Equatable, Codable {
    public var bulkId: String
    public var operationCount: Int
    /// The bulk path submitted to.
    public var path: String
}
