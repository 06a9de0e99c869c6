extension SimulatorState {
    /// Approves or declines a purchase: the card must be ACTIVE, then the funding instrument must be ACTIVE
    /// and hold the amount, then every spend control has its say.
    func decide(_ attempt: PurchaseAttempt) -> PurchaseDecision {
        guard attempt.card.state == .active else { return .decline(reason: "CARD_STATUS_NOT_ALLOWED") }
        guard let source = attempt.fundingInstrument, let funds = funds(of: source, identityID: attempt.card.identityID),
              funds.state == .active
        else { return .decline(reason: "CARD_STATUS_NOT_ALLOWED") }
        guard funds.availableBalance >= attempt.amount else { return .decline(reason: "INSUFFICIENT_BALANCE") }
        return spendControlDecision(attempt)
    }

    /// Where spend rules (per-card limits, merchant category blocks, …) plug in: a rule that refuses answers
    /// `.decline(reason: "AUTH_RULE_CHECKS_FAILED")`. None are simulated yet, so every purchase passes.
    func spendControlDecision(_ attempt: PurchaseAttempt) -> PurchaseDecision {
        .approve
    }
}
