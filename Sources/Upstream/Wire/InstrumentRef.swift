/// Weavr's `InstrumentId`: a managed card or managed account, by id and kind.
public struct InstrumentRef: Sendable, Equatable, Hashable, Codable {
    /// Weavr's `InstrumentType`.
    public enum Kind: String, Sendable, Codable {
        case managedCards = "managed_cards"
        case managedAccounts = "managed_accounts"
    }

    public var id: String
    public var type: Kind

    public init(id: String, type: Kind) {
        self.id = id
        self.type = type
    }
}
