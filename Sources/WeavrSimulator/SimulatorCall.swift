/// One request as an action sees it: the caller, the parsed path and query, the body, and the time.
struct SimulatorCall: Sendable {
    var method: String
    var path: String
    var pathParameters: [String: String]
    /// Every query value per name, percent-decoded, in order.
    var query: [String: [String]]
    var body: [UInt8]
    var apiKey: String
    /// The bearer token, when the route needs or accepts one and it is valid.
    var token: String?
    var principal: SimulatorPrincipal?
    var now: Int64
    /// The `accept` header (statements answer JSON, CSV or PDF by it).
    var accept: String? = nil

    func queryValue(_ name: String) -> String? { query[name]?.first }
}
