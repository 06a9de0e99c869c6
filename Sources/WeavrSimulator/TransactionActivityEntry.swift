/// One entry of an instrument's transaction activity (the spec's `InstrumentTransactionActivityItem`), built
/// on demand from a transfer or a card payment.
struct TransactionActivityEntry {
    var id: String
    /// `TransactionActivityType`: `transfers` or `card_payments` here.
    var type: String
    /// `TransactionActivityStatus`.
    var status: String
    /// `CREDIT` or `DEBIT`, seen from the instrument.
    var direction: String
    var currency: String
    /// Minor units, always positive (`direction` gives the sign).
    var amount: Int64
    var creationTimestamp: Int64
    var lastUpdatedTimestamp: Int64
    /// The full transaction (`Transfer` or `CardPayment` JSON).
    var transaction: [String: Any]

    /// Ids come from one increasing counter, so they order entries created in the same millisecond.
    var numericID: UInt64 { UInt64(id) ?? 0 }

    var json: [String: Any] {
        [
            "id": id,
            "type": type,
            "status": status,
            "direction": direction,
            "amount": ["currency": currency, "amount": amount],
            "creationTimestamp": creationTimestamp,
            "lastUpdatedTimestamp": lastUpdatedTimestamp,
            "transaction": transaction,
        ]
    }
}
