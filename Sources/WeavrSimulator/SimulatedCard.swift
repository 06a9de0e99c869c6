/// A managed card in the simulator's state.
struct SimulatedCard: Sendable {
    var id: String
    var identityID: String
    var identityType: String
    var profileID: String
    var externalHandle: String
    var tag: String?
    var friendlyName: String
    var currency: String
    var state: InstrumentStatus
    var type: String
    var cardBrand: String
    var cardNumberFirstSix: String
    var cardNumberLastFour: String
    var nameOnCard: String
    var nameOnCardLine2: String?
    var startMmyy: String
    var expiryMmyy: String
    var expiryPeriodMonths: Int
    var renewalType: String
    var creationTimestamp: Int64
    var billingAddress: [String: String]
    var pushProvisioningEnabled: Bool
    var walletsEnabled: Bool
    var mode: String
    /// Prepaid only, minor units.
    var availableBalance: Int64
    var actualBalance: Int64
    /// Debit only.
    var parentManagedAccountID: String?
    var authForwardingDefaultTimeoutDecision: String?
    /// The card's own spend rules (`/managed_cards/{id}/spend_rules`); nil when none are set.
    var spendRules: SimulatedSpendRules? = nil
    /// Set once the card is upgraded to physical (`type` is then PHYSICAL).
    var physical: SimulatedPhysicalCard? = nil

    var isPrepaid: Bool { mode == "PREPAID_MODE" }

    /// The spec's `PrepaidModeCard` / `DebitModeCard` JSON.
    var json: [String: Any] {
        var object: [String: Any] = [
            "id": id,
            "profileId": profileID,
            "externalHandle": externalHandle,
            "friendlyName": friendlyName,
            "currency": currency,
            "state": state.json,
            "type": type,
            "cardBrand": cardBrand,
            "cardNumberFirstSix": cardNumberFirstSix,
            "cardNumberLastFour": cardNumberLastFour,
            "nameOnCard": nameOnCard,
            "startMmyy": startMmyy,
            "expiryMmyy": expiryMmyy,
            "cardLevelClassification": identityType,
            "expiryPeriodMonths": expiryPeriodMonths,
            "renewalType": renewalType,
            "creationTimestamp": creationTimestamp,
            "billingAddress": billingAddress,
            "digitalWallets": ["pushProvisioningEnabled": pushProvisioningEnabled, "walletsEnabled": walletsEnabled],
            "mode": mode,
        ]
        if let tag { object["tag"] = tag }
        if let nameOnCardLine2 { object["nameOnCardLine2"] = nameOnCardLine2 }
        if let authForwardingDefaultTimeoutDecision { object["authForwardingDefaultTimeoutDecision"] = authForwardingDefaultTimeoutDecision }
        if let physical {
            object["physicalCardDetails"] = physical.json
            if let replacement = physical.replacement { object["replacement"] = ["id": replacement.id, "reason": replacement.reason] }
        }
        if isPrepaid {
            object["balances"] = ["availableBalance": availableBalance, "actualBalance": actualBalance]
        } else if let parentManagedAccountID {
            object["parentManagedAccountId"] = parentManagedAccountID
        }
        return object
    }
}

extension SimulatedCard {
    /// The spec's `Card` summary, as a card payment names the card it was made with.
    var summaryJSON: [String: Any] {
        var object: [String: Any] = [
            "id": id,
            "type": "managed_cards",
            "mode": isPrepaid ? "prepaid" : "debit",
            "friendlyName": friendlyName,
            "nameOnCard": nameOnCard,
            "cardBrand": cardBrand,
            "cardNumberFirstSix": cardNumberFirstSix,
            "cardNumberLastFour": cardNumberLastFour,
        ]
        if let parentManagedAccountID { object["parentManagedAccountId"] = parentManagedAccountID }
        return object
    }
}
