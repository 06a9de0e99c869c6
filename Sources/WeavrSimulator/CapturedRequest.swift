/// A request the simulator received, with secrets redacted: the `api-key` and `authorization` header
/// values and every `password.value` in a JSON body are replaced by `"<redacted>"`.
public struct CapturedRequest: Codable, Sendable, Equatable {
    /// Position in arrival order, from 1.
    public var sequence: Int
    public var method: String
    public var path: String
    /// The raw query string without "?", if any.
    public var query: String?
    /// The matched route pattern ("/managed_cards/{id}"), if any.
    public var route: String?
    /// Header fields in arrival order as `[name, value]` pairs.
    public var headers: [[String]]
    /// The body as UTF-8 text (lossy for non-UTF-8 bytes); empty when there was none.
    public var body: String
    /// Epoch milliseconds (simulator clock) when the request arrived.
    public var receivedAt: Int64

    public init(sequence: Int, method: String, path: String, query: String?, route: String?, headers: [[String]], body: String, receivedAt: Int64) {
        self.sequence = sequence
        self.method = method
        self.path = path
        self.query = query
        self.route = route
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
    }
}
