/// Query filters of `GET /managed_cards` (each nil filter is left out).
public struct CardListFilter: Sendable, Equatable {
    public var profileId: String?
    /// Exact match.
    public var friendlyName: String?
    /// Any of `ACTIVE`, `BLOCKED`, `DESTROYED`, `NOT_ENABLED`.
    public var states: [String] = []
    public var blockedReasons: [String] = []
    public var currency: String?
    /// `VIRTUAL` or `PHYSICAL`.
    public var type: String?
    /// `PREPAID_MODE` or `DEBIT_MODE`.
    public var mode: String?
    /// Exact match.
    public var tag: String?
    /// Epoch milliseconds.
    public var createdFrom: Int64?
    public var createdTo: Int64?
    public var userId: String?

    public init() {}

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        func add(_ name: String, _ value: String?) { if let value { items.append((name, value)) } }
        add("profileId", profileId)
        add("friendlyName", friendlyName)
        for state in states { items.append(("state", state)) }
        for reason in blockedReasons { items.append(("state.blockedReason", reason)) }
        add("currency", currency)
        add("type", type)
        add("mode", mode)
        add("tag", tag)
        add("createdFrom", createdFrom.map(String.init))
        add("createdTo", createdTo.map(String.init))
        add("userId", userId)
        return items
    }
}
