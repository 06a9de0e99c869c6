/// A managed account in the simulator's state (read-only through the API, but for its IBAN upgrade).
struct SimulatedAccount: Sendable {
    var id: String
    var identityID: String
    var profileID: String
    var tag: String?
    var friendlyName: String
    var currency: String
    var availableBalance: Int64
    var actualBalance: Int64
    var state: InstrumentStatus
    var creationTimestamp: Int64
    /// Set by `POST /managed_accounts/{id}/iban`; nil: `UNALLOCATED`.
    var iban: SimulatedIBAN?
    /// Test-only (`POST /_simulator/accounts/{id}/iban/delay`): an upgrade stays `PENDING_ALLOCATION` until
    /// `POST /_simulator/accounts/{id}/iban/allocate`, as Weavr's allocation can take a while.
    var ibanAllocationDelayed = false
    /// Upgraded, not yet allocated.
    var ibanPending = false

    /// The spec's `ManagedAccount` JSON.
    var json: [String: Any] {
        var object: [String: Any] = [
            "id": id,
            "profileId": profileID,
            "friendlyName": friendlyName,
            "currency": currency,
            "balances": ["availableBalance": availableBalance, "actualBalance": actualBalance],
            "state": state.json,
            "creationTimestamp": creationTimestamp,
        ]
        if let tag { object["tag"] = tag }
        return object
    }

    /// The spec's `ManagedAccountIBAN` JSON.
    var ibanJSON: [String: Any] {
        guard let iban else { return ["state": "UNALLOCATED", "bankAccountDetails": [Any]()] }
        if ibanPending { return ["state": "PENDING_ALLOCATION", "bankAccountDetails": [Any]()] }
        return ["state": "ALLOCATED", "bankAccountDetails": [iban.json]]
    }
}
