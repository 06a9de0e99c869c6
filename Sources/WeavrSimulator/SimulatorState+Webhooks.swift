import GatewayCore

/// One webhook the simulator will send: to its programme's (api-key's) webhook URL + `path`, signed with the
/// api-key as Weavr signs (`WeavrWebhookSignature`).
struct SimulatorWebhook: Sendable, Equatable {
    var apiKey: String
    /// Weavr's path under the webhook URL (`managed_cards/state_change/watch`).
    var path: String
    var body: [UInt8]
    /// The `call-ref`, the same on every retry.
    var callRef: String
}

extension SimulatorState {
    /// Starts reporting card state changes from the cards' current states.
    mutating func startReportingCardStates() {
        if reportedCardStates == nil {
            reportedCardStates = Dictionary(cards.map { ($0.id, $0.state) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The webhooks due after a request: queued ones (purchases) and one `managed_cards/state_change/watch` per card
    /// whose state changed since the last report (whatever route changed it). Empties the outbox.
    mutating func takeWebhooks(now: Int64) -> [SimulatorWebhook] {
        if var reported = reportedCardStates {
            for card in cards where reported[card.id] != card.state {
                let previous = reported[card.id]
                reported[card.id] = card.state
                guard let previous else { continue }  // a new card: Weavr sends no state change for issuing
                let eventType: String
                switch card.state.state {
                case "BLOCKED": eventType = "BLOCKED"
                case "DESTROYED": eventType = "DESTROYED"
                default: eventType = previous.state == "BLOCKED" ? "UNBLOCKED" : "ACTIVATED"
                }
                var state: [String: Any] = ["state": card.state.state]
                if let reason = card.state.blockedReason { state["blockedReason"] = reason }
                if let reason = card.state.destroyedReason { state["destroyedReason"] = reason }
                queueWebhook(identityID: card.identityID, path: "managed_cards/state_change/watch", [
                    "id": ["id": card.id, "type": "managed_cards"], "timestamp": String(now), "eventType": eventType,
                    "state": state, "cardType": card.type, "renewalType": "RENEW",
                ])
            }
            reportedCardStates = reported
        }
        defer { webhookOutbox = [] }
        return webhookOutbox
    }

    /// Queues a webhook about `identityID`'s instrument, with its `owner` added (an extra field Weavr's state
    /// change does not document; the gateway uses it to route the event to the identity's streams).
    mutating func queueWebhook(identityID: String, path: String, _ body: [String: Any]) {
        guard reportedCardStates != nil, let identity = identities[identityID] else { return }
        var body = body
        body["owner"] = ["type": identity.type == "CONSUMER" ? "consumers" : "corporates", "id": identityID]
        webhookSequence += 1
        webhookOutbox.append(SimulatorWebhook(apiKey: identity.apiKey, path: path, body: JSONBody.encode(body), callRef: "sim-webhook-\(webhookSequence)-\(newID())"))
    }

    /// `managed_cards/authorisations/watch` for a simulated purchase, approved or declined.
    mutating func queueAuthorisationWebhook(_ payment: SimulatedCardPayment, now: Int64) {
        var body: [String: Any] = [
            "id": ["id": payment.cardID, "type": "managed_cards"], "transactionId": payment.id, "authorisationType": "AUTHORISED",
            "transactionAmount": ["currency": payment.currency, "amount": String(payment.amount)],
            "sourceAmount": ["currency": payment.currency, "amount": String(payment.amount)],
            "transactionTimestamp": String(now), "merchantData": ["merchantName": payment.merchant.name],
            "approved": payment.status != "DECLINED",
        ]
        if let reason = payment.declineReason { body["declineReason"] = reason }
        queueWebhook(identityID: payment.identityID, path: "managed_cards/authorisations/watch", body)
    }

    /// `managed_cards/settlements/watch` for a settled simulated purchase.
    mutating func queueSettlementWebhook(_ payment: SimulatedCardPayment, now: Int64) {
        queueWebhook(identityID: payment.identityID, path: "managed_cards/settlements/watch", [
            "id": ["id": payment.cardID, "type": "managed_cards"], "transactionId": payment.id, "settlementType": "SALE_PURCHASE",
            "transactionAmount": ["currency": payment.currency, "amount": String(payment.amount)], "transactionTimestamp": String(now),
        ])
    }
}
