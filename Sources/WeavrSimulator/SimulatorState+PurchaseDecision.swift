extension SimulatorState {
    /// Approves or declines a purchase: the card must be ACTIVE, then the funding instrument must be ACTIVE
    /// and hold the amount, then a physical card at a terminal must be activated with its PIN not blocked,
    /// then every spend control has its say.
    func decide(_ attempt: PurchaseAttempt) -> PurchaseDecision {
        guard attempt.card.state == .active else { return .decline(reason: "CARD_STATUS_NOT_ALLOWED") }
        guard let source = attempt.fundingInstrument, let funds = funds(of: source, identityID: attempt.card.identityID),
              funds.state == .active
        else { return .decline(reason: "CARD_STATUS_NOT_ALLOWED") }
        guard funds.availableBalance >= attempt.amount else { return .decline(reason: "INSUFFICIENT_BALANCE") }
        if let physical = attempt.card.physical, attempt.channel.isCardPresent {
            if physical.pendingActivation { return .decline(reason: "PHYSICAL_NOT_ACTIVATED") }
            if physical.pinBlocked, attempt.channel == .chipAndPin || attempt.channel == .atm { return .decline(reason: "PIN_RETRIES_EXCEEDED") }
        }
        return spendControlDecision(attempt)
    }

    /// The card's spend rules: a refusing rule answers `.decline(reason: "AUTH_RULE_CHECKS_FAILED", authRule:)`
    /// with the rule's code (`SPEND_RULE_MCC_BLOCKED`, …, `SPEND_LIMIT_EXCEEDED`).
    func spendControlDecision(_ attempt: PurchaseAttempt) -> PurchaseDecision {
        guard let rules = attempt.card.spendRules else { return .approve }
        if let rule = rules.refusal(of: attempt) { return .decline(reason: "AUTH_RULE_CHECKS_FAILED", authRule: rule) }
        for limit in rules.spendLimits ?? [] {
            let windowStart = limit.interval.windowStart(now: attempt.now, since: limit.setAt)
            if spent(on: attempt.card.id, since: windowStart) + attempt.amount > limit.amount {
                return .decline(reason: "AUTH_RULE_CHECKS_FAILED", authRule: "SPEND_LIMIT_EXCEEDED")
            }
        }
        return .approve
    }

    /// What a card's approved purchases (held or settled; declines move nothing) add up to since `start`.
    func spent(on cardID: String, since start: Int64) -> Int64 {
        cardPayments.reduce(0) { total, payment in
            payment.cardID == cardID && payment.status != "DECLINED" && payment.creationTimestamp >= start ? total + payment.amount : total
        }
    }
}
