import Auth
import NIOFreeHTTP
import Upstream

// Cards, both directions in one place (docs/ARCHITECTURE.md, "Where each concern lives"): public input →
// Weavr bodies (`CardInput`), Weavr cards → public JSON (`CardView`, `InstrumentStateView`). The list filter
// is `CardInput.listFilter`. Weavr field names never reach the public JSON.

/// The bodies of `POST /v1/cards` and `PATCH /v1/cards/{id}`, checked and turned into Weavr wire bodies.
///
/// The gateway checks presence, types, lengths and its own enums (Weavr's `CreateManagedCard` limits:
/// friendlyName 1–50, nameOnCard 1–27, address lines ≤ 150, city ≤ 50, postCode ≤ 10, country 2);
/// character rules (name-on-card and post-code patterns, country case) are left to Weavr, whose 400
/// comes back under the public names (`UpstreamFieldNames`).
enum CardInput {
    /// `GET /v1/cards?state=&type=&mode=&currency=&name=` → Weavr's list filter, and the canonical text of the
    /// filters that a page cursor is bound to (the same offset means something else under other filters).
    static func listFilter(_ query: inout ListQuery, states allowedStates: [String]) -> (CardListFilter, String) {
        var filter = CardListFilter()
        let states = query.choices("state", allowedStates)
        filter.states = states.map { $0.uppercased() }
        let type = query.choice("type", ["virtual", "physical"])
        filter.type = type?.uppercased()
        let mode = query.choice("mode", ["prepaid", "debit"])
        filter.mode = mode.map { $0 == "debit" ? "DEBIT_MODE" : "PREPAID_MODE" }
        filter.currency = query.currency()
        let name = query.single("name")
        if let name, !(1...50).contains(name.count) { query.fail("name", "length must be 1…50") }
        filter.friendlyName = name
        let filters = ["state=" + states.sorted().joined(separator: ","), "type=" + (type ?? ""), "mode=" + (mode ?? ""),
                       "currency=" + (filter.currency ?? ""), "name=" + (name ?? "")].joined(separator: "&")
        return (filter, filters)
    }

    /// `POST /v1/cards` → Weavr `CreateManagedCard`, with the tenant's profile id for currency + mode.
    static func create(_ request: HTTPRequest, profiles: Tenant.CardProfiles) throws(Problem) -> CardCreateBody {
        var body = try FieldReader(request: request)
        let name = body.string("name", length: 1...50)
        let nameOnCard = body.string("nameOnCard", length: 1...27)
        let currency = body.string("currency", length: 3...3)
        if let currency, !ListQuery.isCurrencyCode(currency) { body.fail("currency", "must be an ISO 4217 code (three upper-case letters)") }
        let mode = body.optionalString("mode", length: 1...10) ?? "prepaid"
        if mode != "prepaid" && mode != "debit" { body.fail("mode", "must be prepaid or debit") }
        let parentAccountId = body.optionalString("parentAccountId", length: 1...32)
        if mode == "debit" {
            if parentAccountId == nil, !body.has("parentAccountId") { body.fail("parentAccountId", "required for a debit card") }
        } else if body.has("parentAccountId") {
            body.fail("parentAccountId", "only for a debit card")
        }
        if let parentAccountId, !CardsRoutes.isWeavrID(parentAccountId) { body.fail("parentAccountId", "must be an account id") }
        // Weavr's CreateManagedCard requires a billing address: no default is made up for the client.
        let address = billingAddress(&body, required: true)
        try body.validate()
        guard let name, let nameOnCard, let currency, let address else { throw Problem(.validationFailed) }

        let table = mode == "debit" ? profiles.debit : profiles.prepaid
        guard let profileId = table[currency] else {
            throw Problem(.validationFailed, invalidFields: [.init(name: "currency", reason: "no \(mode) card programme for \(currency) on this tenant")])
        }
        return CardCreateBody(
            profileId: profileId, friendlyName: name, nameOnCard: nameOnCard, billingAddress: address,
            mode: mode == "debit" ? "DEBIT_MODE" : "PREPAID_MODE",
            // A debit card takes its currency from the parent account: Weavr wants only the account.
            currency: mode == "debit" ? nil : currency,
            parentManagedAccountId: mode == "debit" ? parentAccountId : nil
        )
    }

    /// `PATCH /v1/cards/{id}` → Weavr `PatchManagedCard` with only the given fields (at least one).
    static func patch(_ request: HTTPRequest) throws(Problem) -> CardPatchBody {
        var body = try FieldReader(request: request)
        guard body.has("name") || body.has("nameOnCard") || body.has("billingAddress") else {
            throw Problem(.validationFailed, detail: "send at least one of name, nameOnCard, billingAddress",
                          invalidFields: [.init(name: "name", reason: "at least one of name, nameOnCard, billingAddress is required")])
        }
        let name = body.optionalString("name", length: 1...50)
        let nameOnCard = body.optionalString("nameOnCard", length: 1...27)
        // Weavr replaces the address as a whole, so a patch carries a complete one.
        let address = billingAddress(&body, required: false)
        try body.validate()
        return CardPatchBody(friendlyName: name, nameOnCard: nameOnCard, billingAddress: address)
    }

    /// `billingAddress {line1, line2?, city, postCode, state?, country}` → Weavr's `BillingAddress`.
    private static func billingAddress(_ body: inout FieldReader, required: Bool) -> BillingAddress? {
        guard var fields = body.object("billingAddress", required: required) else { return nil }
        let line1 = fields.string("line1", length: 1...150)
        let line2 = fields.optionalString("line2", length: 0...150)
        let city = fields.string("city", length: 1...50)
        let postCode = fields.string("postCode", length: 1...10)
        let state = fields.optionalString("state", length: 0...50)
        let country = fields.string("country", length: 2...2)
        body.merge(fields)
        guard let line1, let city, let postCode, let country else { return nil }
        return BillingAddress(addressLine1: line1, addressLine2: line2, city: city, postCode: postCode, state: state, country: country)
    }
}

/// The public JSON of a card (docs/ARCHITECTURE.md "The public API"): flat, lower-case enums, money in minor units,
/// ISO-8601 times. Weavr's `profileId`, `state.state` nesting and PAN fragments beyond `last4` stay out.
enum CardView {
    static func write(_ card: ManagedCard, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", card.id)
        json.field("name", card.friendlyName)
        json.field("nameOnCard", card.nameOnCard)
        json.field("last4", card.cardNumberLastFour)
        json.field("expiry", expiry(card.expiryMmyy))
        InstrumentStateView.write(card.state, into: &json)
        json.field("type", card.type.lowercased())
        json.field("mode", mode(card.mode))
        json.field("currency", card.currency)
        if card.mode == "PREPAID_MODE", let balances = card.balances {
            json.key("balance")
            BalanceView.write(balances, into: &json)
        } else {
            json.field("balance", nil as String?)  // debit cards spend from their parent account
        }
        json.field("createdAt", Timestamp.iso8601(milliseconds: card.creationTimestamp))
        PhysicalView.write(card.physicalCardDetails, into: &json)
        json.endObject()
    }

    /// One card as a whole response body.
    static func body(_ card: ManagedCard) -> [UInt8] {
        var json = JSONWriter()
        write(card, into: &json)
        return json.bytes
    }

    /// Weavr's `expiryMmyy` ("0929") as "09/29" (`MM/YY`); anything else (none yet, or not four digits) is null.
    static func expiry(_ mmyy: String) -> String? {
        let digits = mmyy.utf8
        guard digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        // Five ASCII bytes: a small string, built in place (no `Character` walk, no allocation).
        return String(unsafeUninitializedCapacity: 5) { out in
            var index = 0
            for digit in digits {
                if index == 2 { out[index] = UInt8(ascii: "/"); index += 1 }
                out[index] = digit
                index += 1
            }
            return 5
        }
    }

    /// `PREPAID_MODE` → `prepaid`, `DEBIT_MODE` → `debit`.
    static func mode(_ weavrMode: String) -> String {
        switch weavrMode {
        case "PREPAID_MODE": "prepaid"
        case "DEBIT_MODE": "debit"
        default: weavrMode.lowercased()
        }
    }
}


/// `{available, actual}` in minor units.
enum BalanceView {
    static func write(_ balances: InstrumentBalances, into json: inout JSONWriter) {
        json.beginObject()
        json.field("available", balances.availableBalance)
        json.field("actual", balances.actualBalance)
        json.endObject()
    }
}

/// `state`, `blockedReason` and `destroyedReason` of a card or account, flattened from Weavr's
/// `ManagedInstrumentState`. Both reasons are closed enums (Weavr's values, lower-case): a reason Weavr
/// adds later is sent as `other` rather than passed through; a reason is null unless the state is the one
/// it explains (and when Weavr gives none).
enum InstrumentStateView {
    /// Why a `blocked` instrument is blocked (Weavr `state.blockedReason`).
    static let blockedReasons = ["user", "system", "lost", "single_spend", "other"]
    /// Why a `destroyed` instrument was destroyed (Weavr `state.destroyedReason`).
    static let destroyedReasons = ["user", "system", "lost", "stolen", "expired", "compromised", "single_spend", "other"]

    static func write(_ state: ManagedInstrumentState, into json: inout JSONWriter) {
        json.field("state", state.state.lowercased())
        json.field("blockedReason", state.state == "BLOCKED" ? state.blockedReason.map { closed($0, blockedReasons) } : nil)
        json.field("destroyedReason", state.state == "DESTROYED" ? state.destroyedReason.map { closed($0, destroyedReasons) } : nil)
    }

    /// `weavr` lower-cased when it is one of `allowed`, else `other`.
    static func closed(_ weavr: String, _ allowed: [String]) -> String {
        let lower = weavr.lowercased()
        return allowed.contains(lower) ? lower : "other"
    }
}

/// `physical`: null for a virtual card; else whether it is activated, whether its PIN is blocked, and where
/// its manufacturing and delivery stand (Weavr's values, lower-case; `other` for one this API does not know).
enum PhysicalView {
    static let manufacturingStates = ["requested", "sent_for_fulfillment", "dispatched", "delivered"]
    static let deliveryMethods = ["standard_delivery", "registered_mail", "courier", "first_class_mail"]

    static func write(_ details: PhysicalCardDetails?, into json: inout JSONWriter) {
        guard let details else {
            json.field("physical", nil as String?)
            return
        }
        json.key("physical")
        json.beginObject()
        json.field("activated", !details.pendingActivation)
        json.field("pinBlocked", details.pinBlocked ?? false)
        json.field("manufacturingState", details.manufacturingState.map { known($0.lowercased(), manufacturingStates) })
        json.field("deliveryMethod", details.deliveryMethod.map { known($0.lowercased(), deliveryMethods) })
        json.endObject()
    }

    private static func known(_ value: String, _ values: [String]) -> String {
        values.contains(value) ? value : "other"
    }
}
