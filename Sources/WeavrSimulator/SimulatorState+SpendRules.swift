extension SimulatorState {
    /// The JSON object of a request body; an empty body is `{}`. Nil when the body is not a JSON object.
    static func bodyObject(_ bytes: [UInt8]) -> [String: Any]? {
        bytes.isEmpty ? [:] : JSONBody.decode(bytes) as? [String: Any]
    }

    /// `GET /managed_cards/{id}/spend_rules` → `AllLevelSpendRules`: `cardLevelSpendRules` is the card's own
    /// rules (`{}` when none). Profile and identity rules are not simulated (`{}`), so the deprecated
    /// top-level "effective" copy equals the card's rules.
    func getSpendRules(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let index = ownedCardIndex(call.pathParameters["id"], principal) else { return .notFound("Managed card") }
        let cardLevel = cards[index].spendRules?.json ?? [:]
        var answer = cardLevel
        answer["cardLevelSpendRules"] = cardLevel
        answer["profileLevelSpendRules"] = [String: Any]()
        answer["identityLevelSpendRules"] = [String: Any]()
        return .json(200, answer)
    }

    /// `POST /managed_cards/{id}/spend_rules` (`CardLevelSpendRules`) → 204; 409 `SPEND_RULE_ALREADY_SET` when
    /// the card has rules, or a spend limit conflict (`SimulatedSpendRules.spendLimitConflict`).
    mutating func createSpendRules(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let body = SimulatorState.bodyObject(call.body) else { return .json(400, ["message": "Request body is not a JSON object"]) }
        var check = FieldValidator(body)
        let rules = SimulatedSpendRules.parse(&check, now: call.now)
        guard check.isValid else { return .badRequest(check.invalidFields) }
        guard let index = ownedCardIndex(call.pathParameters["id"], principal) else { return .notFound("Managed card") }
        guard cards[index].spendRules == nil else { return .errorCode(409, "SPEND_RULE_ALREADY_SET") }
        if let conflict = rules.spendLimitConflict(cardCurrency: cards[index].currency) { return .errorCode(409, conflict) }
        cards[index].spendRules = rules
        return .empty(204)
    }

    /// `PATCH /managed_cards/{id}/spend_rules` (`UpdateCardLevelSpendRules`) → 204: the fields present replace
    /// the stored ones, absent fields stay; `updateSpendLimitMethod` OVERWRITE (default) or INCREMENT. A card
    /// without rules ("must be used after a POST") → 404 [I].
    mutating func updateSpendRules(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let body = SimulatorState.bodyObject(call.body) else { return .json(400, ["message": "Request body is not a JSON object"]) }
        var check = FieldValidator(body)
        let update = SimulatedSpendRules.parse(&check, now: call.now)
        let method = check.string("updateSpendLimitMethod", allowed: ["OVERWRITE", "INCREMENT"]) ?? "OVERWRITE"
        guard check.isValid else { return .badRequest(check.invalidFields) }
        guard let index = ownedCardIndex(call.pathParameters["id"], principal) else { return .notFound("Managed card") }
        guard let stored = cards[index].spendRules else { return .notFound("Spend rules of the managed card") }
        if let conflict = update.spendLimitConflict(cardCurrency: cards[index].currency) { return .errorCode(409, conflict) }
        cards[index].spendRules = stored.updated(by: update, incrementLimits: method == "INCREMENT")
        return .empty(204)
    }

    /// `DELETE /managed_cards/{id}/spend_rules` → 204; the card has no rules afterwards.
    mutating func deleteSpendRules(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let index = ownedCardIndex(call.pathParameters["id"], principal) else { return .notFound("Managed card") }
        cards[index].spendRules = nil
        return .empty(204)
    }
}
