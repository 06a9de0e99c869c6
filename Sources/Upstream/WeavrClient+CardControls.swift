extension WeavrClient {
    // MARK: spend rules

    /// `GET /managed_cards/{id}/spend_rules`.
    public func getSpendRules(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<AllLevelSpendRules> {
        try await perform(Call(method: "GET", path: "/managed_cards/\(WeavrClient.segment(id))/spend_rules", token: token, requestID: requestID), as: AllLevelSpendRules.self)
    }

    /// `POST /managed_cards/{id}/spend_rules` (204; 409 `SPEND_RULE_ALREADY_SET` when the card has rules).
    public func createSpendRules(token: String, id: String, rules: SpendRules, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/spend_rules", token: token, body: WeavrClient.encode(rules),
                        idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `PATCH /managed_cards/{id}/spend_rules`: the fields set in `rules` change (204).
    public func updateSpendRules(token: String, id: String, rules: SpendRules, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "PATCH", path: "/managed_cards/\(WeavrClient.segment(id))/spend_rules", token: token, body: WeavrClient.encode(rules),
                        idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `DELETE /managed_cards/{id}/spend_rules` (204).
    public func deleteSpendRules(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await perform(Call(method: "DELETE", path: "/managed_cards/\(WeavrClient.segment(id))/spend_rules", token: token, requestID: requestID), as: WeavrEmpty.self)
    }

    // MARK: physical cards

    /// `POST /managed_cards/{id}/physical` (200 with the card; 409 `INSTRUMENT_ALREADY_UPGRADED_TO_PHYSICAL`, …).
    public func upgradeToPhysical(token: String, id: String, body: PhysicalUpgradeBody, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        let call = Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/physical", token: token, body: WeavrClient.encode(body),
                        idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: ManagedCard.self)
    }

    /// `POST /managed_cards/{id}/physical/activate` (200 with the card; 409 `ACTIVATION_CODE_INVALID`, …).
    public func activatePhysical(token: String, id: String, activationCode: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        let call = Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/physical/activate", token: token,
                        body: WeavrClient.encode(ActivationCodeBody(activationCode: activationCode)), idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: ManagedCard.self)
    }

    /// `GET /managed_cards/{id}/physical/pin`: the tokenised PIN.
    public func physicalPin(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<TokenisedPin> {
        try await perform(Call(method: "GET", path: "/managed_cards/\(WeavrClient.segment(id))/physical/pin", token: token, requestID: requestID), as: TokenisedPin.self)
    }

    /// `GET /managed_cards/{id}` read only for its tokenised card number and CVV (a stepped-up token).
    public func sensitiveCardDetails(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<SensitiveCardDetails> {
        try await perform(Call(method: "GET", path: "/managed_cards/\(WeavrClient.segment(id))", token: token, requestID: requestID), as: SensitiveCardDetails.self)
    }

    /// `PATCH /managed_cards/{id}/physical/pin/unblock` (204).
    public func unblockPhysicalPin(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await perform(Call(method: "PATCH", path: "/managed_cards/\(WeavrClient.segment(id))/physical/pin/unblock", token: token, requestID: requestID), as: WeavrEmpty.self)
    }

    /// `POST /managed_cards/{id}/physical/report_lost` or `…/report_stolen` (204).
    public func reportPhysical(token: String, id: String, stolen: Bool, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/physical/" + (stolen ? "report_stolen" : "report_lost"), token: token,
                        idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `POST /managed_cards/{id}/physical/replace_damaged` (204).
    public func replaceDamagedPhysical(token: String, id: String, activationCode: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/physical/replace_damaged", token: token,
                        body: WeavrClient.encode(ActivationCodeBody(activationCode: activationCode)), idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `POST /managed_cards/{id}/physical/replace_lost_stolen` (200 with the card that replaces it).
    public func replaceLostStolenPhysical(token: String, id: String, activationCode: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        let call = Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/physical/replace_lost_stolen", token: token,
                        body: WeavrClient.encode(ActivationCodeBody(activationCode: activationCode)), idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: ManagedCard.self)
    }
}
