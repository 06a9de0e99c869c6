/// One item of a bulk submit: `{pathParams: {...}, requestBody?: {...}}`.
public struct WeavrBulkItem<RequestBody: Encodable & Sendable>: Encodable, Sendable {
    /// Values for the placeholder segments of the bulk path (`_id_`, `_user_id_`).
    public var pathParams: [String: String]
    public var requestBody: RequestBody?

    public init(pathParams: [String: String] = [:], requestBody: RequestBody? = nil) {
        self.pathParams = pathParams
        self.requestBody = requestBody
    }
}
