/// The tokenised sensitive members of Weavr's `ManagedCard` (`SensitiveCardNumber`, `SensitiveCvv`), which Weavr
/// returns only to a stepped-up session: tokens for Weavr's Secure UI components, never the digits. Decoded
/// apart from `ManagedCard` so that no other read of a card ever holds them. Its description never shows them.
public struct SensitiveCardDetails: Sendable, Equatable, Decodable, CustomStringConvertible {
    public struct Value: Sendable, Equatable, Decodable {
        public var value: String
        public init(value: String) { self.value = value }
    }

    public var id: String
    public var cardNumber: Value?
    public var cvv: Value?

    public init(id: String, cardNumber: Value?, cvv: Value?) {
        self.id = id
        self.cardNumber = cardNumber
        self.cvv = cvv
    }

    public var description: String {
        "SensitiveCardDetails(id: \(id), cardNumber: \(cardNumber == nil ? "-" : "***"), cvv: \(cvv == nil ? "-" : "***"))"
    }
}
