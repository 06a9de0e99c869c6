extension SimulatorState {
    static let activationCodePattern = "^[0-9]{1,6}$"

    /// The index of the caller's card at path parameter `id`, or the 401/404 answer.
    private func physicalTarget(_ call: SimulatorCall) -> Result<Int, SimulatorReplyError> {
        guard let principal = call.principal else { return .failure(SimulatorReplyError(reply: .unauthorized)) }
        guard let index = ownedCardIndex(call.pathParameters["id"], principal) else {
            return .failure(SimulatorReplyError(reply: .notFound("Managed card")))
        }
        return .success(index)
    }

    /// The `activationCode` of a body (`required` for the replace operations), or the 400 answer.
    private static func activationCode(_ bytes: [UInt8], required: Bool) -> Result<String?, SimulatorReplyError> {
        guard let body = bodyObject(bytes) else {
            return .failure(SimulatorReplyError(reply: .json(400, ["message": "Request body is not a JSON object"])))
        }
        var check = FieldValidator(body)
        let code = check.string("activationCode", required: required, pattern: activationCodePattern)
        guard check.isValid else { return .failure(SimulatorReplyError(reply: .badRequest(check.invalidFields))) }
        return .success(code)
    }

    /// The 409 for an operation on a physical card that is destroyed, or blocked (when `blocked` is given).
    private func physicalStateConflict(_ card: SimulatedCard, destroyed: String = "INSTRUMENT_DESTROYED", blocked: String? = "INSTRUMENT_BLOCKED") -> SimulatorReply? {
        if card.physical == nil { return .errorCode(409, "INSTRUMENT_NOT_PHYSICAL") }
        if card.state.state == "DESTROYED" { return .errorCode(409, destroyed) }
        if let blocked, card.state.state == "BLOCKED" { return .errorCode(409, blocked) }
        return nil
    }

    /// `POST /managed_cards/{id}/physical`: the virtual card becomes PHYSICAL, pending activation, its plastic
    /// REQUESTED. 200 with the card; 409 `INSTRUMENT_ALREADY_UPGRADED_TO_PHYSICAL`, `INSTRUMENT_DESTROYED`,
    /// `INSTRUMENT_BLOCKED`, `PARENT_MANAGED_ACCOUNT_BLOCKED`. A `pin` in the body is validated and dropped.
    mutating func upgradeToPhysical(_ call: SimulatorCall) -> SimulatorReply {
        guard let body = SimulatorState.bodyObject(call.body) else { return .json(400, ["message": "Request body is not a JSON object"]) }
        var check = FieldValidator(body)
        let productReference = check.string("productReference", maxLength: 50)
        let carrierType = check.string("carrierType", maxLength: 50)
        let deliveryMethod = check.string("deliveryMethod", allowed: ["STANDARD_DELIVERY", "REGISTERED_MAIL", "COURIER", "FIRST_CLASS_MAIL"])
        let activationCode = check.string("activationCode", pattern: SimulatorState.activationCodePattern)
        let nameOnCardLine2 = check.string("nameOnCardLine2", maxLength: 27, pattern: FieldValidator.nameOnCardPattern)
        if let pin = check.object("pin") {
            var nested = FieldValidator(pin, prefix: "pin")
            nested.string("value", required: true, minLength: 4, maxLength: 24)
            check.merge(nested)
        }
        var address: [String: String] = [:]
        if let delivery = check.object("deliveryAddress", required: true) {
            check.merge(FieldValidator.deliveryAddress(delivery, field: "deliveryAddress"))
            address = delivery.compactMapValues { $0 as? String }
        }
        guard check.isValid else { return .badRequest(check.invalidFields) }
        let index: Int
        switch physicalTarget(call) {
        case .success(let found): index = found
        case .failure(let error): return error.reply
        }
        let card = cards[index]
        if card.state.state == "DESTROYED" { return .errorCode(409, "INSTRUMENT_DESTROYED") }
        if card.physical != nil { return .errorCode(409, "INSTRUMENT_ALREADY_UPGRADED_TO_PHYSICAL") }
        if card.state.state == "BLOCKED" { return .errorCode(409, "INSTRUMENT_BLOCKED") }
        if let parent = card.parentManagedAccountID, accounts.first(where: { $0.id == parent })?.state.state == "BLOCKED" {
            return .errorCode(409, "PARENT_MANAGED_ACCOUNT_BLOCKED")
        }
        cards[index].type = "PHYSICAL"
        if let nameOnCardLine2 { cards[index].nameOnCardLine2 = nameOnCardLine2 }
        cards[index].physical = SimulatedPhysicalCard(
            productReference: productReference ?? "SIM-DEFAULT", carrierType: carrierType, deliveryMethod: deliveryMethod ?? "STANDARD_DELIVERY",
            deliveryAddress: address, activationCode: activationCode
        )
        return .json(200, cards[index].json)
    }

    /// `POST /managed_cards/{id}/physical/activate` `{activationCode?}`: the card arrived; 200 with it, no longer
    /// pending activation (also ends a pending damaged-card replacement). A code, when given, must match the
    /// one set at upgrade (or replacement), else 409 `ACTIVATION_CODE_INVALID`; 409 `INSTRUMENT_NOT_PHYSICAL`,
    /// `INSTRUMENT_DESTROYED`, `INSTRUMENT_BLOCKED`, `INSTRUMENT_ALREADY_ACTIVATED`.
    mutating func activatePhysical(_ call: SimulatorCall) -> SimulatorReply {
        let code: String?
        switch SimulatorState.activationCode(call.body, required: false) {
        case .success(let value): code = value
        case .failure(let error): return error.reply
        }
        let index: Int
        switch physicalTarget(call) {
        case .success(let found): index = found
        case .failure(let error): return error.reply
        }
        if let conflict = physicalStateConflict(cards[index]) { return conflict }
        guard var physical = cards[index].physical, physical.pendingActivation || physical.replacementPending else {
            return .errorCode(409, "INSTRUMENT_ALREADY_ACTIVATED")
        }
        if let code, let expected = physical.activationCode, code != expected { return .errorCode(409, "ACTIVATION_CODE_INVALID") }
        physical.pendingActivation = false
        physical.replacementPending = false
        physical.manufacturingState = "DELIVERED"
        cards[index].physical = physical
        return .json(200, cards[index].json)
    }

    /// `GET /managed_cards/{id}/physical/pin` → `{"pin": {"value": <token>}}`: Weavr's tokenised PIN (for the
    /// Display Card PIN UI component), never digits. 409 `INSTRUMENT_NOT_PHYSICAL`, `INSTRUMENT_DESTROYED`,
    /// `INSTRUMENT_BLOCKED`, `PHYSICAL_CARD_NOT_ACTIVATED`, `PIN_TRIES_EXCEEDED` (PIN blocked).
    func physicalPin(_ call: SimulatorCall) -> SimulatorReply {
        let index: Int
        switch physicalTarget(call) {
        case .success(let found): index = found
        case .failure(let error): return error.reply
        }
        if let conflict = physicalStateConflict(cards[index]) { return conflict }
        guard let physical = cards[index].physical, !physical.pendingActivation else { return .errorCode(409, "PHYSICAL_CARD_NOT_ACTIVATED") }
        guard !physical.pinBlocked else { return .errorCode(409, "PIN_TRIES_EXCEEDED") }
        return .json(200, ["pin": ["value": SimulatorState.pinToken(cardID: cards[index].id)]])
    }

    /// `PATCH /managed_cards/{id}/physical/pin/unblock` → 204, `pinBlocked` false. 409 `INSTRUMENT_NOT_PHYSICAL`,
    /// `INSTRUMENT_DESTROYED`, `INSTRUMENT_BLOCKED`, `PHYSICAL_CARD_NOT_ACTIVATED`.
    mutating func unblockPhysicalPin(_ call: SimulatorCall) -> SimulatorReply {
        let index: Int
        switch physicalTarget(call) {
        case .success(let found): index = found
        case .failure(let error): return error.reply
        }
        if let conflict = physicalStateConflict(cards[index]) { return conflict }
        guard cards[index].physical?.pendingActivation == false else { return .errorCode(409, "PHYSICAL_CARD_NOT_ACTIVATED") }
        cards[index].physical?.pinBlocked = false
        return .empty(204)
    }

    /// `POST …/physical/report_lost` → BLOCKED(LOST); `…/report_stolen` → DESTROYED(STOLEN) (the spec: "this will
    /// destroy the instrument"; `BlockedReason` has no STOLEN). 204. 409 `INSTRUMENT_NOT_PHYSICAL`,
    /// `INSTRUMENT_ALREADY_MARKED_LOST` / `…_STOLEN`, `INSTRUMENT_DESTROYED`, and for stolen
    /// `PHYSICAL_CARD_NOT_ACTIVATED`.
    mutating func reportPhysical(stolen: Bool, _ call: SimulatorCall) -> SimulatorReply {
        let index: Int
        switch physicalTarget(call) {
        case .success(let found): index = found
        case .failure(let error): return error.reply
        }
        let card = cards[index]
        guard let physical = card.physical else { return .errorCode(409, "INSTRUMENT_NOT_PHYSICAL") }
        if card.state.blockedReason == "LOST" || card.state.destroyedReason == "LOST" { return .errorCode(409, "INSTRUMENT_ALREADY_MARKED_LOST") }
        if card.state.destroyedReason == "STOLEN" { return .errorCode(409, "INSTRUMENT_ALREADY_MARKED_STOLEN") }
        if card.state.state == "DESTROYED" { return .errorCode(409, "INSTRUMENT_DESTROYED") }
        if stolen {
            guard !physical.pendingActivation else { return .errorCode(409, "PHYSICAL_CARD_NOT_ACTIVATED") }
            cards[index].state = InstrumentStatus(state: "DESTROYED", destroyedReason: "STOLEN")
        } else {
            cards[index].state = InstrumentStatus(state: "BLOCKED", blockedReason: "LOST")
        }
        return .empty(204)
    }

    /// `POST …/physical/replace_lost_stolen` `{activationCode}` → 200 with a new physical card (new id, same
    /// identity, profile, names, addresses and spend rules; pending activation with the given code). The old
    /// card ends DESTROYED (LOST or STOLEN) with `replacement {id, LOST_STOLEN}`; its funds not held by a
    /// pending purchase move to the new card. 409 `INSTRUMENT_NOT_PHYSICAL`, `INSTRUMENT_ALREADY_REPLACED`,
    /// `INSTRUMENT_NOT_MARKED_LOST_OR_STOLEN`, `INSTRUMENT_DESTROYED`, `PARENT_MANAGED_ACCOUNT_NOT_ACTIVE`.
    mutating func replaceLostStolenPhysical(_ call: SimulatorCall) -> SimulatorReply {
        let code: String?
        switch SimulatorState.activationCode(call.body, required: true) {
        case .success(let value): code = value
        case .failure(let error): return error.reply
        }
        let index: Int
        switch physicalTarget(call) {
        case .success(let found): index = found
        case .failure(let error): return error.reply
        }
        let old = cards[index]
        guard let oldPhysical = old.physical else { return .errorCode(409, "INSTRUMENT_NOT_PHYSICAL") }
        if oldPhysical.replacement?.reason == "LOST_STOLEN" { return .errorCode(409, "INSTRUMENT_ALREADY_REPLACED") }
        let lost = old.state.blockedReason == "LOST" || old.state.destroyedReason == "LOST"
        let stolen = old.state.destroyedReason == "STOLEN"
        if !lost && !stolen {
            return .errorCode(409, old.state.state == "DESTROYED" ? "INSTRUMENT_DESTROYED" : "INSTRUMENT_NOT_MARKED_LOST_OR_STOLEN")
        }
        if let parent = old.parentManagedAccountID, accounts.first(where: { $0.id == parent })?.state.state != "ACTIVE" {
            return .errorCode(409, "PARENT_MANAGED_ACCOUNT_NOT_ACTIVE")
        }
        var replacement = old
        replacement.id = newID()
        replacement.creationTimestamp = call.now
        replacement.state = .active
        let digits = replacement.id.filter(\.isNumber)
        replacement.cardNumberLastFour = String(digits.suffix(4))
        replacement.externalHandle = "SIM" + digits.suffix(10)
        replacement.physical = SimulatedPhysicalCard(
            productReference: oldPhysical.productReference, carrierType: oldPhysical.carrierType, deliveryMethod: oldPhysical.deliveryMethod,
            deliveryAddress: oldPhysical.deliveryAddress, activationCode: code
        )
        // "Any funds (that are not blocked pending a purchase …) remaining on the card will be automatically
        // transferred to the new replacement card."
        replacement.availableBalance = old.availableBalance
        replacement.actualBalance = old.availableBalance
        cards[index].actualBalance -= old.availableBalance
        cards[index].availableBalance = 0
        cards[index].state = InstrumentStatus(state: "DESTROYED", destroyedReason: stolen ? "STOLEN" : "LOST")
        cards[index].physical?.replacement = (replacement.id, "LOST_STOLEN")
        cardIndex[replacement.id] = cards.count
        cards.append(replacement)
        return .json(200, replacement.json)
    }

    /// `POST …/physical/replace_damaged` `{activationCode}` → 204: new plastic for the same card is REQUESTED
    /// (the card keeps working; activating with the new code ends the replacement). 409
    /// `INSTRUMENT_NOT_PHYSICAL`, `INSTRUMENT_ALREADY_DESTROYED`, `INSTRUMENT_MARKED_AS_LOST`,
    /// `PHYSICAL_CARD_NOT_ACTIVATED`, `INSTRUMENT_ALREADY_PENDING_REPLACEMENT`.
    mutating func replaceDamagedPhysical(_ call: SimulatorCall) -> SimulatorReply {
        let code: String?
        switch SimulatorState.activationCode(call.body, required: true) {
        case .success(let value): code = value
        case .failure(let error): return error.reply
        }
        let index: Int
        switch physicalTarget(call) {
        case .success(let found): index = found
        case .failure(let error): return error.reply
        }
        let card = cards[index]
        guard var physical = card.physical else { return .errorCode(409, "INSTRUMENT_NOT_PHYSICAL") }
        if card.state.state == "DESTROYED" { return .errorCode(409, "INSTRUMENT_ALREADY_DESTROYED") }
        if card.state.blockedReason == "LOST" { return .errorCode(409, "INSTRUMENT_MARKED_AS_LOST") }
        if physical.pendingActivation { return .errorCode(409, "PHYSICAL_CARD_NOT_ACTIVATED") }
        if physical.replacementPending { return .errorCode(409, "INSTRUMENT_ALREADY_PENDING_REPLACEMENT") }
        physical.replacementPending = true
        physical.activationCode = code
        physical.manufacturingState = "REQUESTED"
        cards[index].physical = physical
        return .empty(204)
    }

    /// Test-only (`POST /_simulator/cards/{id}/pin_block`): too many wrong PINs at a terminal. 204; 404 unknown
    /// card; 409 `INSTRUMENT_NOT_PHYSICAL`.
    mutating func blockPhysicalPin(id: String?) -> SimulatorReply {
        guard let index = cardIndex[id ?? ""] else { return .notFound("Managed card") }
        guard cards[index].physical != nil else { return .errorCode(409, "INSTRUMENT_NOT_PHYSICAL") }
        cards[index].physical?.pinBlocked = true
        return .empty(204)
    }

    /// A stable stand-in for Weavr's PIN token: `pin_tok_` and 16 lower-case letters from the card id, so it
    /// can never be read as PIN digits.
    static func pinToken(cardID: String) -> String {
        sensitiveToken("pin", cardID: cardID)
    }

    /// A stable stand-in for one of Weavr's tokenised sensitive values of a card (`pin`, `pan`, `cvv`):
    /// `<kind>_tok_` and 16 lower-case letters, never digits.
    static func sensitiveToken(_ kind: String, cardID: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(kind)|\(cardID)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var letters = ""
        for _ in 0..<16 {
            letters.append(Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(hash % 26))))
            hash = hash / 26 ^ (hash &* 0x9E37_79B9_7F4A_7C15)
        }
        return kind + "_tok_" + letters
    }
}

/// An early answer of a simulated operation (400, 401, 404), carried through `Result`.
struct SimulatorReplyError: Error {
    var reply: SimulatorReply
}
