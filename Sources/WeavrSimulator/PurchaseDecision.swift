/// The issuer's answer to a purchase authorisation.
enum PurchaseDecision: Sendable, Equatable {
    case approve
    /// `reason` is a `CardPaymentDeclineReason` (`CARD_STATUS_NOT_ALLOWED`, `INSUFFICIENT_BALANCE`,
    /// `AUTH_RULE_CHECKS_FAILED`, …); `authRule` names the spend rule when a rule refused (`SPEND_LIMIT_EXCEEDED`, …).
    case decline(reason: String, authRule: String? = nil)
}
