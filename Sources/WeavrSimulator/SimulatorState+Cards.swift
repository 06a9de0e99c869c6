extension SimulatorState {
    func ownedCardIndex(_ id: String?, _ principal: SimulatorPrincipal) -> Int? {
        guard let index = cardIndex[id ?? ""], cards[index].identityID == principal.identityID else { return nil }
        return index
    }

    /// `POST /managed_cards`.
    mutating func createCard(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal, let identity = identities[principal.identityID] else { return .unauthorized }
        guard let body = JSONBody.decode(call.body) as? [String: Any] else {
            return .badRequest(["profileId", "friendlyName", "nameOnCard", "billingAddress", "mode"].map { InvalidField(fieldName: $0, error: "REQUIRED") })
        }
        var check = FieldValidator(body)
        let profileID = check.string("profileId", required: true, pattern: FieldValidator.idPattern)
        let friendlyName = check.string("friendlyName", required: true, minLength: 1, maxLength: 50)
        let nameOnCard = check.string("nameOnCard", required: true, minLength: 1, maxLength: 27, pattern: FieldValidator.nameOnCardPattern)
        let nameOnCardLine2 = check.string("nameOnCardLine2", maxLength: 27, pattern: FieldValidator.nameOnCardPattern)
        let tag = check.string("tag", maxLength: 50, pattern: FieldValidator.tagPattern)
        let mode = check.string("mode", required: true, allowed: ["PREPAID_MODE", "DEBIT_MODE"])
        check.string("cardholderMobileNumber", minLength: 5, maxLength: 15, pattern: #"^\+[0-9]+$"#)
        let decision = check.string("authForwardingDefaultTimeoutDecision", allowed: ["APPROVE", "DECLINE"])
        let renewalType = check.string("renewalType", allowed: ["RENEW", "NO_RENEW"])
        var address: [String: String] = [:]
        if let billing = check.object("billingAddress", required: true) {
            let nested = FieldValidator.billingAddress(billing, field: "billingAddress")
            check.merge(nested)
            for (key, value) in billing { if let text = value as? String { address[key] = text } }
        }
        var wallets: (push: Bool, wallets: Bool) = (false, false)
        if let digital = check.object("digitalWallets") {
            var nested = FieldValidator(digital, prefix: "digitalWallets")
            wallets = (nested.bool("pushProvisioningEnabled") ?? false, nested.bool("walletsEnabled") ?? false)
            check.merge(nested)
        }
        var currency: String?
        var parentAccountID: String?
        if mode == "PREPAID_MODE" {
            currency = check.string("currency", required: true, minLength: 3, maxLength: 3, pattern: "^[A-Z]*$")
        } else if mode == "DEBIT_MODE" {
            parentAccountID = check.string("parentManagedAccountId", required: true, pattern: FieldValidator.idPattern)
        }
        guard check.isValid, let profileID, let friendlyName, let nameOnCard, let mode else { return .badRequest(check.invalidFields) }
        guard let profile = cardProfiles[call.apiKey]?[profileID] else { return .errorCode(409, "PROFILE_NOT_FOUND") }
        guard profile.mode == mode else { return .errorCode(409, "PROFILE_TYPE_MISMATCH") }
        var cardCurrency = profile.currency
        if mode == "PREPAID_MODE" {
            guard currency == profile.currency else { return .errorCode(409, "CURRENCY_NOT_SUPPORTED_BY_PROFILE") }
        } else {
            guard let account = accounts.first(where: { $0.id == parentAccountID && $0.identityID == identity.id }) else {
                return .errorCode(409, "PARENT_MANAGED_ACCOUNT_NOT_FOUND")
            }
            guard account.state.state == "ACTIVE" else { return .errorCode(409, "PARENT_MANAGED_ACCOUNT_NOT_ACTIVE") }
            cardCurrency = account.currency
        }
        var card = makeCard(
            id: newID(), identity: identity, profileID: profileID, currency: cardCurrency, mode: mode,
            friendlyName: friendlyName, nameOnCard: nameOnCard, billingAddress: address, now: call.now
        )
        card.tag = tag
        card.nameOnCardLine2 = nameOnCardLine2
        card.parentManagedAccountID = parentAccountID
        card.authForwardingDefaultTimeoutDecision = decision
        card.pushProvisioningEnabled = wallets.push
        card.walletsEnabled = wallets.wallets
        if let renewalType { card.renewalType = renewalType }
        cardIndex[card.id] = cards.count
        cards.append(card)
        return .json(200, card.json)
    }

    /// `GET /managed_cards` with Weavr's filters.
    func listCards(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        let exact: [(String, (SimulatedCard) -> String?)] = [
            ("profileId", \.profileID), ("friendlyName", \.friendlyName), ("currency", \.currency), ("type", \.type),
            ("renewalType", \.renewalType), ("externalHandle", \.externalHandle), ("cardNumberFirstSix", \.cardNumberFirstSix),
            ("cardNumberLastFour", \.cardNumberLastFour), ("mode", \.mode), ("tag", \.tag),
            ("parentManagedAccountId", \.parentManagedAccountID),
        ]
        let anyOf: [(String, (SimulatedCard) -> String?)] = [
            ("state", \.state.state), ("state.blockedReason", \.state.blockedReason), ("state.destroyedReason", \.state.destroyedReason),
        ]
        let createdFrom = call.queryValue("createdFrom").flatMap { Int64($0) }
        let createdTo = call.queryValue("createdTo").flatMap { Int64($0) }
        let matching = cards.filter { card in
            guard card.identityID == principal.identityID else { return false }
            for (name, value) in exact {
                if let wanted = call.queryValue(name), value(card) != wanted { return false }
            }
            for (name, value) in anyOf {
                let wanted = (call.query[name] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
                if !wanted.isEmpty, !wanted.contains(value(card) ?? "") { return false }
            }
            if let createdFrom, card.creationTimestamp < createdFrom { return false }
            if let createdTo, card.creationTimestamp > createdTo { return false }
            return true
        }
        return page(matching.map(\.json), key: "cards", call: call)
    }

    /// `GET /managed_cards/{id}`.
    func getCard(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let index = ownedCardIndex(call.pathParameters["id"], principal) else { return .notFound("Managed card") }
        // To a stepped-up session, one card carries Weavr's tokenised card number and CVV (`SensitiveCardNumber`,
        // `SensitiveCvv`, "returned only when the current session is stepped-up"): tokens for the Secure UI
        // components, letters only and within the spec's lengths (16 and 3), never the digits.
        var json = cards[index].json
        if principal.steppedUp {
            json["cardNumber"] = ["value": String(SimulatorState.sensitiveToken("pan", cardID: cards[index].id).suffix(16))]
            json["cvv"] = ["value": String(SimulatorState.sensitiveToken("cvv", cardID: cards[index].id).suffix(3))]
        }
        return .json(200, json)
    }

    /// `PATCH /managed_cards/{id}`: only the given fields change.
    mutating func patchCard(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        let body: [String: Any]
        if call.body.isEmpty {
            body = [:]
        } else if let object = JSONBody.decode(call.body) as? [String: Any] {
            body = object
        } else {
            return .json(400, ["message": "Request body is not a JSON object"])
        }
        var check = FieldValidator(body)
        let friendlyName = check.string("friendlyName", minLength: 1, maxLength: 50)
        let nameOnCard = check.string("nameOnCard", minLength: 1, maxLength: 27, pattern: FieldValidator.nameOnCardPattern)
        let nameOnCardLine2 = check.string("nameOnCardLine2", maxLength: 27, pattern: FieldValidator.nameOnCardPattern)
        let tag = check.string("tag", maxLength: 50, pattern: FieldValidator.tagPattern)
        let renewalType = check.string("renewalType", allowed: ["RENEW", "NO_RENEW"])
        let decision = check.string("authForwardingDefaultTimeoutDecision", allowed: ["APPROVE", "DECLINE"])
        var address: [String: String]?
        if let billing = check.object("billingAddress") {
            check.merge(FieldValidator.billingAddress(billing, field: "billingAddress"))
            address = billing.compactMapValues { $0 as? String }
        }
        var push: Bool?
        var walletsEnabled: Bool?
        if let digital = check.object("digitalWallets") {
            var nested = FieldValidator(digital, prefix: "digitalWallets")
            push = nested.bool("pushProvisioningEnabled")
            walletsEnabled = nested.bool("walletsEnabled")
            check.merge(nested)
        }
        guard check.isValid else { return .badRequest(check.invalidFields) }
        guard let index = ownedCardIndex(call.pathParameters["id"], principal) else { return .notFound("Managed card") }
        guard cards[index].state.state != "DESTROYED" else { return .errorCode(409, "INSTRUMENT_DESTROYED") }
        if let friendlyName { cards[index].friendlyName = friendlyName }
        if let nameOnCard { cards[index].nameOnCard = nameOnCard }
        if let nameOnCardLine2 { cards[index].nameOnCardLine2 = nameOnCardLine2 }
        if let tag { cards[index].tag = tag }
        if let renewalType { cards[index].renewalType = renewalType }
        if let decision { cards[index].authForwardingDefaultTimeoutDecision = decision }
        if let address { cards[index].billingAddress = address }
        if let push { cards[index].pushProvisioningEnabled = push }
        if let walletsEnabled { cards[index].walletsEnabled = walletsEnabled }
        return .json(200, cards[index].json)
    }

    /// `POST /managed_cards/{id}/block`: ACTIVE → BLOCKED(USER).
    mutating func blockCard(id: String?, principal: SimulatorPrincipal) -> SimulatorReply {
        guard let index = ownedCardIndex(id, principal) else { return .notFound("Managed card") }
        switch (cards[index].state.state, cards[index].state.blockedReason) {
        case ("DESTROYED", _): return .errorCode(409, "INSTRUMENT_DESTROYED")
        case ("BLOCKED", "LOST"): return .errorCode(409, "INSTRUMENT_MARKED_LOST_STOLEN")
        case ("BLOCKED", _): return .errorCode(409, "INSTRUMENT_ALREADY_BLOCKED")
        default:
            cards[index].state = InstrumentStatus(state: "BLOCKED", blockedReason: "USER")
            return .empty(204)
        }
    }

    /// `POST /managed_cards/{id}/unblock`: only a USER block can be lifted by the user.
    /// LOST → 409 INSTRUMENT_MARKED_LOST_STOLEN; SYSTEM → 403 INSUFFICIENT_PERMISSIONS (no 409 code of the
    /// spec fits a platform block; the user lacks the permission to lift it) [I].
    mutating func unblockCard(id: String?, principal: SimulatorPrincipal) -> SimulatorReply {
        guard let index = ownedCardIndex(id, principal) else { return .notFound("Managed card") }
        switch (cards[index].state.state, cards[index].state.blockedReason) {
        case ("DESTROYED", _): return .errorCode(409, "INSTRUMENT_DESTROYED")
        case ("BLOCKED", "USER"):
            cards[index].state = .active
            return .empty(204)
        case ("BLOCKED", "LOST"): return .errorCode(409, "INSTRUMENT_MARKED_LOST_STOLEN")
        case ("BLOCKED", _): return .errorCode(403, "INSUFFICIENT_PERMISSIONS")
        default: return .errorCode(409, "INSTRUMENT_NOT_BLOCKED")
        }
    }

    /// `POST /managed_cards/{id}/remove`: → DESTROYED(USER); a prepaid card must be empty.
    mutating func removeCard(id: String?, principal: SimulatorPrincipal) -> SimulatorReply {
        guard let index = ownedCardIndex(id, principal) else { return .notFound("Managed card") }
        let card = cards[index]
        guard card.state.state != "DESTROYED" else { return .errorCode(409, "INSTRUMENT_ALREADY_REMOVED") }
        guard !card.isPrepaid || (card.availableBalance == 0 && card.actualBalance == 0) else { return .errorCode(409, "BALANCE_NOT_ZERO") }
        cards[index].state = InstrumentStatus(state: "DESTROYED", destroyedReason: "USER")
        return .empty(204)
    }
}
