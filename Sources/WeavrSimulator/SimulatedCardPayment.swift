/// A simulated card purchase (`POST /_simulator/purchases`): one authorisation, then at most one settlement.
/// Rendered as the spec's `CardPayment`.
struct SimulatedCardPayment: Sendable {
    /// Weavr's `Merchant` (the fields the simulator fills).
    struct Merchant: Sendable, Equatable {
        /// The acquirer's merchant id (MID).
        var id: String
        var name: String
        /// ISO 18245 merchant category code.
        var categoryCode: String?
        /// ISO 3166-1 alpha-2.
        var country: String?

        var json: [String: Any] {
            var object: [String: Any] = ["id": id, "name": name]
            if let categoryCode { object["categoryCode"] = categoryCode }
            if let country { object["country"] = country }
            return object
        }
    }

    var id: String
    var cardID: String
    var identityID: String
    /// Where the hold sits: the card itself (prepaid) or its parent managed account (debit); nil when declined.
    var fundingInstrument: SimulatedInstrumentRef?
    var merchant: Merchant
    var currency: String
    /// Minor units, > 0.
    var amount: Int64
    /// Weavr's `CardPaymentStatus`: SETTLEMENT_IN_PROGRESS, SETTLED or DECLINED here.
    var status: String
    /// Weavr's `CardPaymentDeclineReason`, when DECLINED.
    var declineReason: String?
    /// The spend rule that refused it, when `declineReason` is AUTH_RULE_CHECKS_FAILED (the event's
    /// `authRuleFailedReason`; the simulator's own codes, e.g. `SPEND_LIMIT_EXCEEDED`).
    var authRuleFailedReason: String?
    var channel: PurchaseChannel = .chipAndPin
    var authorisationEventID: String
    var settlementEventID: String?
    /// Six digits; only on approved authorisations.
    var authCode: String?
    var creationTimestamp: Int64
    var lastUpdatedTimestamp: Int64
    var settlementTimestamp: Int64?

    /// The `TransactionActivityStatus` of the card payment: a hold in place is PROCESSING, settled is COMPLETED,
    /// and a payment that ended without moving money (declined, cancelled, expired) is CANCELLED.
    var activityStatus: String {
        switch status {
        case "SETTLEMENT_IN_PROGRESS": "PROCESSING"
        case "SETTLED": "COMPLETED"
        default: "CANCELLED"
        }
    }

    /// The spec's `CardPayment` JSON; `card` is the spec's `Card` summary of the paying card.
    func json(card: [String: Any]) -> [String: Any] {
        let money: [String: Any] = ["currency": currency, "amount": amount]
        var authorisation: [String: Any] = [
            "type": "AUTHORISATION",
            "id": authorisationEventID,
            "subtype": channel.eventSubtype,
            "reversal": false,
            "result": declineReason == nil ? "APPROVED" : "DECLINED",
            "authorisationCategory": "FINAL_AUTH",
            "transactionAmount": money,
            "billingAmount": money,
            "timestamp": creationTimestamp,
            "processedTimestamp": creationTimestamp,
        ]
        if let declineReason { authorisation["declineReason"] = declineReason }
        if let authRuleFailedReason { authorisation["authRuleFailedReason"] = authRuleFailedReason }
        if let authCode { authorisation["authCode"] = authCode }
        var events: [[String: Any]] = [authorisation]
        if let settlementEventID, let settlementTimestamp {
            var settlement: [String: Any] = [
                "type": "SETTLEMENT",
                "id": settlementEventID,
                "subtype": channel.eventSubtype,
                "reversal": false,
                "settlementState": "COMPLETED",
                "transactionAmount": money,
                "billingAmount": money,
                "timestamp": settlementTimestamp,
                "processedTimestamp": settlementTimestamp,
            ]
            if let authCode { settlement["authCode"] = authCode }
            events.append(settlement)
        }
        return [
            "id": id,
            "type": "PURCHASE",
            "card": card,
            "merchant": merchant.json,
            "displayAmount": money,
            "status": status,
            "events": events,
            "creationTimestamp": creationTimestamp,
            "lastUpdatedTimestamp": lastUpdatedTimestamp,
        ]
    }
}
