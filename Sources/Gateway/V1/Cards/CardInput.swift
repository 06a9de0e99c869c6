import Auth
import NIOFreeHTTP
import Upstream

/// The bodies of `POST /v1/cards` and `PATCH /v1/cards/{id}`, checked and turned into Weavr wire bodies.
///
/// The gateway checks presence, types, lengths and its own enums (Weavr's `CreateManagedCard` limits:
/// friendlyName 1–50, nameOnCard 1–27, address lines ≤ 150, city ≤ 50, postCode ≤ 10, country 2);
/// character rules (name-on-card and post-code patterns, country case) are left to Weavr, whose 400
/// comes back under the public names (`UpstreamFieldNames`).
enum CardInput {
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
