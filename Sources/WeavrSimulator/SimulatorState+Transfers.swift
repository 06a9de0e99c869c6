extension SimulatorState {
    /// Weavr's `TransactionState` values (the `state` filter of `GET /transfers`).
    static let transactionStates = ["INITIALISED", "COMPLETED", "REJECTED", "FAILED", "PENDING", "SCHEDULED", "CANCELLED"]

    /// `POST /transfers`: validates the body (400), refuses with a `TransferConflict` code (409), else moves the
    /// funds at once and answers the COMPLETED transfer.
    mutating func createTransfer(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let body = JSONBody.decode(call.body) as? [String: Any] else {
            return .badRequest(["profileId", "source", "destination", "destinationAmount"].map { InvalidField(fieldName: $0, error: "REQUIRED") })
        }
        var check = FieldValidator(body)
        let profileID = check.string("profileId", required: true, pattern: FieldValidator.idPattern)
        let tag = check.string("tag", maxLength: 50, pattern: FieldValidator.tagPattern)
        let source = check.instrument("source", required: true)
        let destination = check.instrument("destination", required: true)
        let amount = check.currencyAmount("destinationAmount", required: true)
        let description = check.string("description", maxLength: 255, pattern: FieldValidator.descriptionPattern)
        let scheduled = check.string("scheduledTimestamp", pattern: FieldValidator.idPattern)
        guard check.isValid, let profileID, let source, let destination, let amount else { return .badRequest(check.invalidFields) }
        // Scheduled transfers are not simulated [I]: any scheduledTimestamp is refused as Weavr refuses a bad one.
        if scheduled != nil { return .errorCode(409, "SCHEDULED_TIMESTAMP_INVALID") }
        guard transferProfiles[call.apiKey]?.contains(profileID) == true else { return .errorCode(409, "PROFILE_INACTIVE") }
        guard let from = funds(of: source, identityID: principal.identityID) else { return .errorCode(409, "SOURCE_NOT_FOUND") }
        guard let to = funds(of: destination, identityID: principal.identityID) else { return .errorCode(409, "DESTINATION_NOT_FOUND") }
        if let refusal = SimulatorState.transferRefusal(from: from, to: to, sameInstrument: source == destination, amount: amount) {
            return .errorCode(409, refusal)
        }
        let transfer = SimulatedTransfer(
            id: newID(), identityID: principal.identityID, profileID: profileID, tag: tag, source: source, destination: destination,
            currency: amount.currency, amount: amount.amount, description: description, state: "COMPLETED",
            creationTimestamp: call.now, executionTimestamp: call.now
        )
        adjustBalances(of: source, available: -amount.amount, actual: -amount.amount)
        adjustBalances(of: destination, available: amount.amount, actual: amount.amount)
        transferIndex[transfer.id] = transfers.count
        transfers.append(transfer)
        return .json(200, transfer.json)
    }

    /// The spec's `TransferConflict` code that refuses moving `amount` between two visible instruments, or nil.
    /// Checked in this order: distinct instruments, no debit-mode card, neither destroyed, neither blocked, one
    /// currency, a positive amount, enough available balance on the source.
    static func transferRefusal(
        from: InstrumentFunds, to: InstrumentFunds, sameInstrument: Bool, amount: (currency: String, amount: Int64)
    ) -> String? {
        if sameInstrument { return "SOURCE_AND_DESTINATION_MUST_BE_DIFFERENT" }
        if from.isDebitModeCard { return "SOURCE_CANNOT_BE_DEBIT_MODE_CARD" }
        if to.isDebitModeCard { return "DESTINATION_CANNOT_BE_DEBIT_MODE_CARD" }
        if from.state.state == "DESTROYED" { return "SOURCE_INSTRUMENT_DESTROYED" }
        if to.state.state == "DESTROYED" { return "DESTINATION_INSTRUMENT_DESTROYED" }
        if from.state.state != "ACTIVE" { return "SOURCE_INSTRUMENT_BLOCKED" }
        if to.state.state != "ACTIVE" { return "DESTINATION_INSTRUMENT_BLOCKED" }
        if from.currency != to.currency || amount.currency != from.currency { return "CURRENCY_MISMATCH" }
        if amount.amount <= 0 { return "AMOUNT_INVALID" }
        if from.availableBalance < amount.amount { return "FUNDS_INSUFFICIENT" }
        return nil
    }

    /// `GET /transfers`, newest first, with the filters `state` (repeatable or comma-separated), `profileId`,
    /// `tag`, `createdFrom`/`createdTo` and `executedFrom`/`executedTo` (epoch ms, inclusive).
    func listTransfers(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        var invalid: [InvalidField] = []
        let states = Set((call.query["state"] ?? []).flatMap { $0.split(separator: ",").map(String.init) })
        if !states.isSubset(of: SimulatorState.transactionStates) {
            invalid.append(InvalidField(fieldName: "state", error: "IN", params: SimulatorState.transactionStates))
        }
        var bounds: [String: Int64] = [:]
        for name in ["createdFrom", "createdTo", "executedFrom", "executedTo"] {
            guard let text = call.queryValue(name) else { continue }
            if let value = Int64(text) { bounds[name] = value } else { invalid.append(InvalidField(fieldName: name, error: "REGEX", params: ["integer"])) }
        }
        guard invalid.isEmpty else { return .badRequest(invalid) }
        let profileID = call.queryValue("profileId")
        let tag = call.queryValue("tag")
        let matching = transfers.reversed().filter { transfer in
            guard transfer.identityID == principal.identityID else { return false }
            if !states.isEmpty, !states.contains(transfer.state) { return false }
            if let profileID, transfer.profileID != profileID { return false }
            if let tag, transfer.tag != tag { return false }
            if let from = bounds["createdFrom"], transfer.creationTimestamp < from { return false }
            if let to = bounds["createdTo"], transfer.creationTimestamp > to { return false }
            if bounds["executedFrom"] != nil || bounds["executedTo"] != nil {
                guard let executed = transfer.executionTimestamp else { return false }
                if let from = bounds["executedFrom"], executed < from { return false }
                if let to = bounds["executedTo"], executed > to { return false }
            }
            return true
        }
        return page(matching.map(\.json), key: "transfer", call: call)
    }

    /// `GET /transfers/{id}`: 404 for an unknown id or another identity's transfer.
    func getTransfer(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let index = transferIndex[call.pathParameters["id"] ?? ""], transfers[index].identityID == principal.identityID else {
            return .notFound("Transfer")
        }
        return .json(200, transfers[index].json)
    }
}
