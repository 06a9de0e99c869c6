extension SimulatorState {
    /// `POST /_simulator/purchases`: a merchant asks to authorise a purchase on a card. Approved, the amount is
    /// held (available balance down, actual balance untouched) and the payment is SETTLEMENT_IN_PROGRESS;
    /// declined (see `decide`), no money moves. Either way the card's transactions show the payment. 201.
    mutating func authorisePurchase(body bytes: [UInt8], now: Int64) -> SimulatorReply {
        guard let body = JSONBody.decode(bytes) as? [String: Any] else {
            return .badRequest(["cardId", "amount", "merchantName"].map { InvalidField(fieldName: $0, error: "REQUIRED") })
        }
        var check = FieldValidator(body)
        let cardID = check.string("cardId", required: true, pattern: FieldValidator.idPattern)
        let amount = check.integer("amount", required: true)
        let currency = check.string("currency", minLength: 3, maxLength: 3, pattern: FieldValidator.currencyPattern)
        let merchantName = check.string("merchantName", required: true, minLength: 1, maxLength: 100)
        let categoryCode = check.string("merchantCategoryCode", pattern: "^[0-9]{4}$")
        let merchantID = check.string("merchantId", minLength: 1, maxLength: 15, pattern: "^[A-Za-z0-9]+$")
        let merchantCountry = check.string("merchantCountry", minLength: 2, maxLength: 2, pattern: "^[A-Z]{2}$")
        let channel = check.string("channel", allowed: PurchaseChannel.allCases.map(\.rawValue)).flatMap(PurchaseChannel.init(rawValue:))
        if let amount, amount <= 0 { check.fail("amount", "RANGE", ["1"]) }
        guard check.isValid, let cardID, let amount, let merchantName else { return .badRequest(check.invalidFields) }
        guard let index = cardIndex[cardID] else { return .notFound("Managed card") }
        let card = cards[index]
        if let currency, currency != card.currency {
            return .json(400, ["message": "currency must be the card's currency \(card.currency) (foreign exchange is not simulated)"])
        }
        let funding = card.isPrepaid
            ? SimulatedInstrumentRef(id: card.id, kind: .managedCards)
            : card.parentManagedAccountID.map { SimulatedInstrumentRef(id: $0, kind: .managedAccounts) }
        let merchant = SimulatedCardPayment.Merchant(
            id: merchantID ?? SimulatorState.merchantID(for: merchantName), name: merchantName, categoryCode: categoryCode,
            country: merchantCountry
        )
        let attempt = PurchaseAttempt(
            card: card, fundingInstrument: funding, merchant: merchant, currency: card.currency, amount: amount,
            channel: channel ?? .chipAndPin, now: now
        )
        let decision = decide(attempt)
        let id = newID()
        var payment = SimulatedCardPayment(
            id: id, cardID: card.id, identityID: card.identityID, fundingInstrument: nil, merchant: merchant, currency: card.currency,
            amount: amount, status: "DECLINED", declineReason: nil, authorisationEventID: newID(), settlementEventID: nil, authCode: nil,
            creationTimestamp: now, lastUpdatedTimestamp: now, settlementTimestamp: nil
        )
        payment.channel = attempt.channel
        switch decision {
        case .approve:
            payment.status = "SETTLEMENT_IN_PROGRESS"
            payment.fundingInstrument = funding
            payment.authCode = String(id.suffix(6))
            if let funding { adjustBalances(of: funding, available: -amount, actual: 0) }
        case .decline(let reason, let authRule):
            payment.declineReason = reason
            payment.authRuleFailedReason = authRule
        }
        cardPaymentIndex[payment.id] = cardPayments.count
        cardPayments.append(payment)
        queueAuthorisationWebhook(payment, now: now)
        var answer: [String: Any] = ["id": payment.id, "status": payment.status]
        // The answer names the refusing spend rule itself; the card payment's event says AUTH_RULE_CHECKS_FAILED.
        if let reason = payment.authRuleFailedReason ?? payment.declineReason { answer["declineReason"] = reason }
        return .json(201, answer)
    }

    /// `POST /_simulator/purchases/{id}/settle`: the merchant's clearing arrives; the held amount leaves the
    /// actual balance and the payment is SETTLED. 404 unknown; 409 unless SETTLEMENT_IN_PROGRESS.
    mutating func settlePurchase(id: String?, now: Int64) -> SimulatorReply {
        guard let index = cardPaymentIndex[id ?? ""] else { return .notFound("Card payment") }
        let payment = cardPayments[index]
        guard payment.status == "SETTLEMENT_IN_PROGRESS" else {
            return .json(409, ["message": "card payment \(payment.id) is \(payment.status), not SETTLEMENT_IN_PROGRESS"])
        }
        if let funding = payment.fundingInstrument { adjustBalances(of: funding, available: 0, actual: -payment.amount) }
        cardPayments[index].status = "SETTLED"
        cardPayments[index].settlementEventID = newID()
        cardPayments[index].settlementTimestamp = now
        cardPayments[index].lastUpdatedTimestamp = now
        queueSettlementWebhook(cardPayments[index], now: now)
        return .json(200, ["id": payment.id, "status": "SETTLED"])
    }

    /// A stable 15-digit merchant id (MID) for a merchant name: FNV-1a of the name.
    static func merchantID(for name: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash % 1_000_000_000_000_000)
        return String(repeating: "0", count: 15 - digits.count) + digits
    }
}
