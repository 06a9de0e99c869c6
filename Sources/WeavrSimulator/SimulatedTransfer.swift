/// A transfer between two instruments of one identity (`POST /transfers`). The simulator executes transfers
/// at once, so every stored transfer is `COMPLETED`.
struct SimulatedTransfer: Sendable {
    var id: String
    var identityID: String
    var profileID: String
    var tag: String?
    var source: SimulatedInstrumentRef
    var destination: SimulatedInstrumentRef
    var currency: String
    /// Minor units, > 0.
    var amount: Int64
    var description: String?
    /// Weavr's `TransactionState`.
    var state: String
    var creationTimestamp: Int64
    var executionTimestamp: Int64?

    /// The `TransactionActivityStatus` of a transfer in `state` (the spec's normalisation: executed and funds
    /// moved is COMPLETED; not yet executed is SUBMITTED or PROCESSING; ended without moving funds is CANCELLED).
    var activityStatus: String {
        switch state {
        case "COMPLETED": "COMPLETED"
        case "INITIALISED": "DRAFT"
        case "SCHEDULED": "SUBMITTED"
        case "PENDING": "PROCESSING"
        default: "CANCELLED"
        }
    }

    /// The spec's `Transfer` JSON.
    var json: [String: Any] {
        var object: [String: Any] = [
            "id": id,
            "profileId": profileID,
            "source": source.json,
            "destination": destination.json,
            "destinationAmount": ["currency": currency, "amount": amount],
            "state": state,
            "creationTimestamp": creationTimestamp,
        ]
        if let tag { object["tag"] = tag }
        if let description { object["description"] = description }
        if let executionTimestamp { object["executionTimestamp"] = String(executionTimestamp) }
        return object
    }
}
