/// A debit card's `availableToSpend` entry: what is left in one spend-limit interval.
public struct AvailableToSpend: Sendable, Equatable, Codable {
    public var interval: String
    public var value: CurrencyAmount
}
