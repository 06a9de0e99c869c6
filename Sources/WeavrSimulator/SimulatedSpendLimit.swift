/// One stored `spendLimit` of a card: at most `amount` (minor units of `currency`) spent per `interval`.
struct SimulatedSpendLimit: Sendable, Equatable {
    var currency: String
    var amount: Int64
    var interval: SpendLimitInterval
    /// As the caller sent it (echoed back; the windows follow the UTC calendar).
    var startTimestamp: Int64?
    /// When this limit was set (POST, or a PATCH that OVERWRITEs it); an ALWAYS limit counts from here.
    var setAt: Int64

    /// The spec's `SpendLimit`.
    var json: [String: Any] {
        var object: [String: Any] = ["value": ["currency": currency, "amount": amount], "interval": interval.rawValue]
        if let startTimestamp { object["startTimestamp"] = startTimestamp }
        return object
    }
}
