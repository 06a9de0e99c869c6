/// A managed card or managed account named the way Weavr's `InstrumentId` does: id and kind.
struct SimulatedInstrumentRef: Sendable, Hashable {
    /// Weavr's `InstrumentType`.
    enum Kind: String, Sendable, CaseIterable {
        case managedCards = "managed_cards"
        case managedAccounts = "managed_accounts"
    }

    var id: String
    var kind: Kind

    /// The spec's `InstrumentId` JSON.
    var json: [String: Any] { ["id": id, "type": kind.rawValue] }
}
