/// Weavr's `ManagedAccount`.
public struct ManagedAccount: Sendable, Equatable, Codable, WeavrPageItem {
    public static let pageKey = "accounts"

    public var id: String
    public var profileId: String
    public var tag: String?
    public var friendlyName: String
    public var currency: String
    public var balances: InstrumentBalances
    public var state: ManagedInstrumentState
    /// Epoch milliseconds.
    public var creationTimestamp: Int64
}
