/// Weavr's `Transfer`: funds moved between two instruments of one identity (`POST /transfers`).
public struct Transfer: Sendable, Equatable, Codable, WeavrPageItem {
    public static let pageKey = "transfer"

    public var id: String
    public var profileId: String
    public var tag: String?
    public var source: InstrumentRef
    public var destination: InstrumentRef
    /// In the currency of both instruments.
    public var destinationAmount: CurrencyAmount
    public var description: String?
    /// Weavr's `TransactionState`: `INITIALISED`, `COMPLETED`, `REJECTED`, `FAILED`, `PENDING`, `SCHEDULED`, `CANCELLED`.
    public var state: String
    /// Epoch milliseconds.
    public var creationTimestamp: Int64
    /// Epoch milliseconds as a digit string, once final.
    public var executionTimestamp: String?

    public init(
        id: String, profileId: String, tag: String? = nil, source: InstrumentRef, destination: InstrumentRef,
        destinationAmount: CurrencyAmount, description: String? = nil, state: String, creationTimestamp: Int64,
        executionTimestamp: String? = nil
    ) {
        self.id = id
        self.profileId = profileId
        self.tag = tag
        self.source = source
        self.destination = destination
        self.destinationAmount = destinationAmount
        self.description = description
        self.state = state
        self.creationTimestamp = creationTimestamp
        self.executionTimestamp = executionTimestamp
    }
}

/// The body of `POST /transfers`.
public struct TransferCreateBody: Sendable, Equatable, Codable {
    public var profileId: String
    public var tag: String?
    public var source: InstrumentRef
    public var destination: InstrumentRef
    public var destinationAmount: CurrencyAmount
    public var description: String?

    public init(profileId: String, tag: String? = nil, source: InstrumentRef, destination: InstrumentRef, destinationAmount: CurrencyAmount, description: String? = nil) {
        self.profileId = profileId
        self.tag = tag
        self.source = source
        self.destination = destination
        self.destinationAmount = destinationAmount
        self.description = description
    }
}
