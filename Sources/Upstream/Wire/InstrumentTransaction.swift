/// Weavr's `InstrumentTransactionActivityItem`: one entry of `GET /managed_cards/{id}/transactions` or
/// `GET /managed_accounts/{id}/transactions`.
public struct InstrumentTransaction: Sendable, Equatable, Codable, WeavrPageItem {
    public static let pageKey = "transactions"

    public var id: String
    /// Weavr's `TransactionActivityType`: `transfers`, `card_payments`, `fees`, … (lower case there).
    public var type: String
    /// Weavr's `TransactionActivityStatus`: `DRAFT`, `SUBMITTED`, `PROCESSING`, `COMPLETED`, `CANCELLED`, `RETURNED`.
    public var status: String
    /// `CREDIT` or `DEBIT`.
    public var direction: String?
    /// In the instrument's currency.
    public var amount: CurrencyAmount
    /// Epoch milliseconds.
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64?
    /// The transaction itself (its schema follows `type`); only what the gateway shows is decoded.
    public var transaction: Detail?

    public init(
        id: String, type: String, status: String, direction: String?, amount: CurrencyAmount, creationTimestamp: Int64,
        lastUpdatedTimestamp: Int64? = nil, transaction: Detail? = nil
    ) {
        self.id = id
        self.type = type
        self.status = status
        self.direction = direction
        self.amount = amount
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.transaction = transaction
    }

    /// The parts of the `transaction` object (`CardPayment`, `Transfer`, …) the gateway reads; the rest is ignored.
    public struct Detail: Sendable, Equatable, Codable {
        /// `CardPayment.type` (`PURCHASE`, `REFUND`, …) or absent.
        public var type: String?
        /// `CardPayment.status` (`SETTLEMENT_IN_PROGRESS`, `SETTLED`, `DECLINED`, …) or `Transfer.state`.
        public var status: String?
        public var merchant: Merchant?
        /// A transfer's instruments.
        public var source: InstrumentRef?
        public var destination: InstrumentRef?

        public init(type: String? = nil, status: String? = nil, merchant: Merchant? = nil, source: InstrumentRef? = nil, destination: InstrumentRef? = nil) {
            self.type = type
            self.status = status
            self.merchant = merchant
            self.source = source
            self.destination = destination
        }

        private enum CodingKeys: String, CodingKey {
            case type, status, merchant, source, destination
        }

        /// A `Transfer` names its status `state`.
        private enum TransferKeys: String, CodingKey {
            case state
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decodeIfPresent(String.self, forKey: .type)
            merchant = try container.decodeIfPresent(Merchant.self, forKey: .merchant)
            source = try container.decodeIfPresent(InstrumentRef.self, forKey: .source)
            destination = try container.decodeIfPresent(InstrumentRef.self, forKey: .destination)
            status = try container.decodeIfPresent(String.self, forKey: .status)
                ?? decoder.container(keyedBy: TransferKeys.self).decodeIfPresent(String.self, forKey: .state)
        }
    }

    /// Weavr's `Merchant` (the fields the gateway shows).
    public struct Merchant: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        /// ISO 18245 merchant category code.
        public var categoryCode: String?
        public var country: String?

        public init(id: String, name: String, categoryCode: String? = nil, country: String? = nil) {
            self.id = id
            self.name = name
            self.categoryCode = categoryCode
            self.country = country
        }
    }
}

/// Query filters of the per-instrument transactions endpoints (each nil or empty filter is left out).
public struct TransactionFilter: Sendable, Equatable {
    /// `TransactionActivityType` values (`transfers`, `card_payments`, …).
    public var types: [String] = []
    /// `TransactionActivityStatus` values.
    public var statuses: [String] = []
    /// `CREDIT` or `DEBIT`.
    public var direction: String?
    /// Epoch milliseconds.
    public var createdFrom: Int64?
    public var createdTo: Int64?
    /// `ASC` or `DESC` (Weavr's default: newest first).
    public var sortOrder: String?

    public init() {}

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        for type in types { items.append(("type", type)) }
        for status in statuses { items.append(("status", status)) }
        if let direction { items.append(("direction", direction)) }
        if let createdFrom { items.append(("creationTimestampFrom", String(createdFrom))) }
        if let createdTo { items.append(("creationTimestampTo", String(createdTo))) }
        if let sortOrder { items.append(("sortOrder", sortOrder)) }
        return items
    }
}
