/// The issuer's answer to a purchase authorisation.
enum PurchaseDecision: Sendable, Equatable {
    case approve
    /// `reason` is a `CardPaymentDeclineReason` (`CARD_STATUS_NOT_ALLOWED`, `INSUFFICIENT_BALANCE`, …).
    case decline(reason: String)
}
