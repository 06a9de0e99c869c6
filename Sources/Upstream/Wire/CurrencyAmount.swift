/// Weavr's `CurrencyAmount`: ISO 4217 currency and an amount in minor units.
public struct CurrencyAmount: Sendable, Equatable, Codable {
    public var currency: String
    public var amount: Int64

    public init(currency: String, amount: Int64) {
        self.currency = currency
        self.amount = amount
    }
}
