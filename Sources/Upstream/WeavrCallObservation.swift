/// One attempt of a Weavr call as the client's `Configuration.observer` sees it: which operation, how it
/// ended and how long it took. Carries no URL ids, headers or bodies, so it is safe for metrics and logs.
public struct WeavrCallObservation: Sendable {
    /// Method and path template, ids replaced by `{id}`: `POST /managed_cards/{id}/block`.
    public var operation: String
    /// `ok`, `client_error`, `rate_limited`, `server_error`, `timeout`, `unavailable`, `circuit_open` or
    /// `invalid_response`.
    public var outcome: String
    /// The HTTP status, when an answer arrived.
    public var status: Int?
    /// Time of this attempt (zero when the circuit refused it).
    public var duration: Duration

    public init(operation: String, outcome: String, status: Int?, duration: Duration) {
        self.operation = operation
        self.outcome = outcome
        self.status = status
        self.duration = duration
    }

    /// The outcome label of a failed attempt.
    static func outcome(of error: WeavrError) -> String {
        switch error.kind {
        case .badRequest, .unauthorized, .forbidden, .notFound, .conflict, .locked: "client_error"
        case .rateLimited: "rate_limited"
        case .serverError: "server_error"
        case .timeout: "timeout"
        case .unavailable(let reason): reason == WeavrError.circuitOpenReason ? "circuit_open" : "unavailable"
        case .invalidResponse: "invalid_response"
        }
    }

    /// Collections whose next path segment is an id.
    private static let collections: Set<Substring> = ["managed_cards", "managed_accounts", "bulks", "users"]
    /// Literal segments that may follow a collection (bulk paths like `/bulks/managed_cards/_id_/block`).
    private static let literals: Set<Substring> = ["managed_cards", "users", "_id_", "_user_id_"]

    /// `method` plus `path` with caller-supplied ids replaced by `{id}`, so the label set stays bounded.
    /// One pass over the path's bytes into one string (it runs for every Weavr call).
    public static func operationLabel(method: String, path: String) -> String {
        var label = method
        label.reserveCapacity(method.utf8.count + path.utf8.count + 8)
        label += " "
        var previous: Substring = ""
        // Segments after the leading "/" (`split` keeping empty ones, as a path may hold "//").
        var rest = path.utf8.first == UInt8(ascii: "/") ? path.dropFirst() : Substring(path)
        while true {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            let segment = rest[rest.startIndex..<end]
            label += "/"
            if collections.contains(previous) && !literals.contains(segment) {
                label += "{id}"
            } else {
                label += segment
            }
            previous = segment
            guard end < rest.endIndex else { break }
            rest = rest[rest.utf8.index(after: end)...]
        }
        return label
    }
}
