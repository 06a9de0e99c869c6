/// An operation with a daily per-tenant quota; the raw value is the name used in tenant configuration
/// (`--quota cards.issue=1000`, `--quota money.EUR=5000000`) and in the ledger.
///
/// Two kinds: counted operations (one unit per request, or per bulk item) and money, `money.<CUR>`: the
/// minor units of one ISO 4217 currency a tenant's users may move per UTC day (transfers).
public struct QuotaOperation: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// A counted operation's name, or `money.` and three upper-case letters; nil otherwise.
    public init?(rawValue: String) {
        guard Self.counted.contains(where: { $0.rawValue == rawValue }) || Self.moneyCurrency(rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    private init(known rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static let cardsIssue = QuotaOperation(known: "cards.issue")
    public static let cardsBlock = QuotaOperation(known: "cards.block")
    public static let cardsUnblock = QuotaOperation(known: "cards.unblock")
    public static let cardsDestroy = QuotaOperation(known: "cards.destroy")
    public static let bulkOperations = QuotaOperation(known: "bulk.operations")
    public static let transfersCreate = QuotaOperation(known: "transfers.create")
    /// Card number and CVV reveals (`POST /v1/cards/{id}/reveal`). Its default of 0 keeps reveals off: a tenant
    /// opts in by setting a daily number.
    public static let cardsReveal = QuotaOperation(known: "cards.reveal")

    /// The operations counted per request (or per bulk item), in a stable order.
    public static let counted: [QuotaOperation] = [.cardsIssue, .cardsBlock, .cardsUnblock, .cardsDestroy, .bulkOperations, .transfersCreate, .cardsReveal]

    /// `money.<currency>`: minor units of `currency` moved per day; nil unless `currency` is three letters A–Z.
    public static func money(_ currency: String) -> QuotaOperation? {
        QuotaOperation(rawValue: "money." + currency)
    }

    /// The currency of a money quota; nil for a counted operation.
    public var moneyCurrency: String? { Self.moneyCurrency(rawValue) }

    private static func moneyCurrency(_ name: String) -> String? {
        guard name.hasPrefix("money.") else { return nil }
        let currency = name.dropFirst(6)
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else { return nil }
        return String(currency)
    }
}
