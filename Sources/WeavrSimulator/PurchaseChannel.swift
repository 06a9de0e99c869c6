/// How a simulated purchase reaches the card (`channel` of `POST /_simulator/purchases`); spend rules can
/// refuse contactless, ATM, e-commerce and cashback, never chip and PIN.
enum PurchaseChannel: String, CaseIterable, Sendable {
    case chipAndPin = "chip_and_pin"
    case contactless
    case atm
    case ecommerce
    case cashback

    /// The card payment event's `subtype` (card-scheme classification).
    var eventSubtype: String {
        switch self {
        case .atm: "cash_withdrawals"
        case .cashback: "sales_with_cashback"
        case .chipAndPin, .contactless, .ecommerce: "sale_purchases"
        }
    }

    /// Whether the card itself is at a terminal (a physical card must be activated, its PIN not blocked).
    var isCardPresent: Bool { self != .ecommerce }
}
