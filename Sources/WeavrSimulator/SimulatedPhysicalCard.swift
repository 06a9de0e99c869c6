/// The physical side of an upgraded card (Weavr's `PhysicalCardDetails`). The activation code is kept to
/// check activation and never rendered.
struct SimulatedPhysicalCard: Sendable {
    var productReference: String
    var carrierType: String?
    /// `STANDARD_DELIVERY`, `REGISTERED_MAIL`, `COURIER`, `FIRST_CLASS_MAIL`.
    var deliveryMethod: String
    var deliveryAddress: [String: String]
    /// The code the cardholder must give to activate; nil when none was set (then any or no code activates).
    var activationCode: String?
    var pendingActivation = true
    var pinBlocked = false
    /// `REQUESTED` until activated, then `DELIVERED`.
    var manufacturingState = "REQUESTED"
    /// A damaged card's new plastic is on its way (cleared by activating it).
    var replacementPending = false
    /// The card that replaced this one and why (`DAMAGED`, `LOST_STOLEN`).
    var replacement: (id: String, reason: String)?

    /// The spec's `PhysicalCardDetails`.
    var json: [String: Any] {
        var object: [String: Any] = [
            "productReference": productReference,
            "pendingActivation": pendingActivation,
            "pinBlocked": pinBlocked,
            "manufacturingState": manufacturingState,
            "deliveryMethod": deliveryMethod,
            "deliveryAddress": deliveryAddress,
        ]
        if let carrierType { object["carrierType"] = carrierType }
        if let replacement { object["replacement"] = ["replacementReason": replacement.reason, "replacementId": replacement.id] }
        return object
    }
}
