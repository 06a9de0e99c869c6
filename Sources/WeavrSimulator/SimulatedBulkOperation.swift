/// One operation of a bulk process.
struct SimulatedBulkOperation: Sendable {
    var id: String
    var sequence: Int
    var method: String
    /// The concrete single-operation path, e.g. `/managed_cards/123/block`.
    var path: String
    /// The item's `pathParams` values.
    var pathParameters: [String: String]
    /// The item's `requestBody` as JSON bytes (empty when none).
    var requestBody: [UInt8]
    /// SUBMITTED, RUNNING, COMPLETED, FAILED, CANCELLED.
    var status: String
    /// The single operation's answer: JSON body text, or `{"status": 204}`-style text for empty bodies.
    var responsePayload: String?

    /// `BulkProcessOperation` JSON.
    var json: [String: Any] {
        var object: [String: Any] = [
            "operationId": id,
            "sequence": sequence,
            "method": method,
            "path": path,
            "status": status,
            "requestPayload": requestBody.isEmpty ? "" : String(decoding: requestBody, as: UTF8.self),
        ]
        if let responsePayload { object["responsePayload"] = responsePayload }
        return object
    }
}
