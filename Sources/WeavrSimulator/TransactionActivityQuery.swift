/// The filters and order of `GET /managed_cards/{id}/transactions` and `GET /managed_accounts/{id}/transactions`,
/// read from the query string; values outside the spec's enums or not integers are 400 `invalidFields`.
struct TransactionActivityQuery {
    /// `TransactionActivityType`.
    static let types = [
        "transfers", "sends", "outgoing_wire_transfers", "correspondent_bank_transfers", "incoming_wire_transfers",
        "card_payments", "fees", "system_transactions",
    ]
    /// `TransactionActivityStatus`.
    static let statuses = ["DRAFT", "SUBMITTED", "PROCESSING", "COMPLETED", "CANCELLED", "RETURNED"]

    /// Empty: any.
    var types: Set<String> = []
    var statuses: Set<String> = []
    var direction: String?
    /// Epoch ms, inclusive.
    var createdFrom: Int64?
    var createdTo: Int64?
    var updatedFrom: Int64?
    var updatedTo: Int64?
    /// `sortOrder=ASC` (oldest first); Weavr's default is DESC, newest first.
    var ascending = false
    /// `sortBy=lastUpdatedTimestamp`; the default is `creationTimestamp`.
    var sortByLastUpdated = false

    /// Parses `call`'s query; the query is usable only when `invalid` comes back empty.
    static func parse(_ call: SimulatorCall) -> (query: TransactionActivityQuery, invalid: [InvalidField]) {
        var query = TransactionActivityQuery()
        var invalid: [InvalidField] = []
        func values(_ name: String, allowed: [String]) -> Set<String> {
            let list = (call.query[name] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
            if !list.allSatisfy(allowed.contains) { invalid.append(InvalidField(fieldName: name, error: "IN", params: allowed)) }
            return Set(list)
        }
        func one(_ name: String, allowed: [String]) -> String? {
            guard let value = call.queryValue(name) else { return nil }
            guard allowed.contains(value) else {
                invalid.append(InvalidField(fieldName: name, error: "IN", params: allowed))
                return nil
            }
            return value
        }
        func timestamp(_ name: String) -> Int64? {
            guard let text = call.queryValue(name) else { return nil }
            guard let value = Int64(text) else {
                invalid.append(InvalidField(fieldName: name, error: "REGEX", params: ["integer"]))
                return nil
            }
            return value
        }
        query.types = values("type", allowed: types)
        query.statuses = values("status", allowed: statuses)
        query.direction = one("direction", allowed: ["CREDIT", "DEBIT"])
        query.createdFrom = timestamp("creationTimestampFrom")
        query.createdTo = timestamp("creationTimestampTo")
        query.updatedFrom = timestamp("lastUpdatedTimestampFrom")
        query.updatedTo = timestamp("lastUpdatedTimestampTo")
        query.ascending = one("sortOrder", allowed: ["ASC", "DESC"]) == "ASC"
        query.sortByLastUpdated = one("sortBy", allowed: ["creationTimestamp", "lastUpdatedTimestamp"]) == "lastUpdatedTimestamp"
        return (query, invalid)
    }

    func matches(_ entry: TransactionActivityEntry) -> Bool {
        if !types.isEmpty, !types.contains(entry.type) { return false }
        if !statuses.isEmpty, !statuses.contains(entry.status) { return false }
        if let direction, entry.direction != direction { return false }
        if let createdFrom, entry.creationTimestamp < createdFrom { return false }
        if let createdTo, entry.creationTimestamp > createdTo { return false }
        if let updatedFrom, entry.lastUpdatedTimestamp < updatedFrom { return false }
        if let updatedTo, entry.lastUpdatedTimestamp > updatedTo { return false }
        return true
    }

    /// The matching entries in the requested order (ties broken by creation order).
    func apply(to entries: [TransactionActivityEntry]) -> [TransactionActivityEntry] {
        let key: (TransactionActivityEntry) -> (Int64, UInt64) = { entry in
            (sortByLastUpdated ? entry.lastUpdatedTimestamp : entry.creationTimestamp, entry.numericID)
        }
        let ordered = entries.filter(matches).sorted { key($0) < key($1) }
        return ascending ? ordered : ordered.reversed()
    }
}
