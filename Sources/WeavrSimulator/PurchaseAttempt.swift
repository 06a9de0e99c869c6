/// A card purchase asking for authorisation (`POST /_simulator/purchases`), as the authorisation decision sees it.
struct PurchaseAttempt: Sendable {
    var card: SimulatedCard
    /// Where the money comes from: the card itself (prepaid) or its parent managed account (debit).
    var fundingInstrument: SimulatedInstrumentRef?
    var merchant: SimulatedCardPayment.Merchant
    var currency: String
    /// Minor units, > 0.
    var amount: Int64
    var channel: PurchaseChannel = .chipAndPin
    /// Epoch ms (simulator clock): spend limit windows are taken at this instant.
    var now: Int64 = 0
}
