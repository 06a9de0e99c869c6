/// Weavr's `StatementResponse` (`GET /managed_cards|managed_accounts/{id}/statement`, JSON): the posted entries
/// of a period with running balances.
public struct Statement: Sendable, Equatable, Decodable {
    public struct Entry: Sendable, Equatable, Decodable {
        public struct TransactionRef: Sendable, Equatable, Decodable {
            public var id: String
            /// `card_payments`, `transfers`, `sends`, `fees`, … (`StatementResponseEntryTransactionType`).
            public var type: String
        }

        /// A merchant (`name`), or an instrument (`id`, `type`), or a bank account: what the gateway shows.
        public struct Counterparty: Sendable, Equatable, Decodable {
            public var name: String?
            public var id: String?
            public var type: String?
        }

        public var entryId: String
        public var transaction: TransactionRef
        public var description: String?
        /// Epoch milliseconds.
        public var timestamp: Int64
        public var balanceAdjustment: CurrencyAmount
        public var balanceAfter: CurrencyAmount
        public var counterparty: Counterparty?
    }

    public var openingBalance: CurrencyAmount?
    public var closingBalance: CurrencyAmount?
    public var entries: [Entry]?
    public var count: Int?
    public var responseCount: Int?
    public var footer: String?
}

/// The filters of a statement (`startPeriod`, `endPeriod`, `sortOrder`, `transaction.type`).
public struct StatementFilter: Sendable, Equatable {
    /// Epoch milliseconds, inclusive.
    public var start: Int64?
    public var end: Int64?
    public var descending: Bool
    /// `StatementResponseEntryTransactionType` values.
    public var types: [String]

    public init(start: Int64? = nil, end: Int64? = nil, descending: Bool = false, types: [String] = []) {
        self.start = start
        self.end = end
        self.descending = descending
        self.types = types
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let start { items.append(("startPeriod", String(start))) }
        if let end { items.append(("endPeriod", String(end))) }
        items.append(("sortOrder", descending ? "DESC" : "ASC"))
        for type in types { items.append(("transaction.type", type)) }
        return items
    }
}
