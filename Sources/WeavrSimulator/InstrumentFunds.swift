/// What a transfer or a purchase needs to know of one instrument: currency, state and balances, and whether
/// it is a debit-mode card (which has no balance of its own).
struct InstrumentFunds: Sendable, Equatable {
    var currency: String
    var state: InstrumentStatus
    /// Minor units; always 0 for a debit-mode card.
    var availableBalance: Int64
    var actualBalance: Int64
    var isDebitModeCard: Bool
}
