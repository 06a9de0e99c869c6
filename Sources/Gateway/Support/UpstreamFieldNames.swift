import Upstream

/// Weavr's field names in a 400 `syntaxErrors.invalidFields` → the public `/v1` names: an allow-list. A
/// name not listed here (one the gateway fills in, or one Weavr made up) never reaches a client.
enum UpstreamFieldNames {
    static let publicNames: [String: String] = [
        "friendlyName": "name",
        "nameOnCard": "nameOnCard",
        "currency": "currency",
        // The profile is picked from the currency (and mode) the client sent.
        "profileId": "currency",
        "mode": "mode",
        "parentManagedAccountId": "parentAccountId",
        "billingAddress": "billingAddress",
        "billingAddress.addressLine1": "billingAddress.line1",
        "billingAddress.addressLine2": "billingAddress.line2",
        "billingAddress.city": "billingAddress.city",
        "billingAddress.postCode": "billingAddress.postCode",
        "billingAddress.state": "billingAddress.state",
        "billingAddress.country": "billingAddress.country",
        // Users (`POST /v1/users`).
        "name": "name",
        "surname": "surname",
        "email": "email",
        "mobile": "mobile",
        "mobile.countryCode": "mobile.countryCode",
        "mobile.number": "mobile.number",
        "roles": "roles",
        // Physical cards (`POST /v1/cards/{id}/physical`).
        "deliveryAddress": "deliveryAddress",
        "deliveryAddress.name": "deliveryAddress.name",
        "deliveryAddress.surname": "deliveryAddress.surname",
        "deliveryAddress.addressLine1": "deliveryAddress.line1",
        "deliveryAddress.addressLine2": "deliveryAddress.line2",
        "deliveryAddress.city": "deliveryAddress.city",
        "deliveryAddress.postCode": "deliveryAddress.postCode",
        "deliveryAddress.state": "deliveryAddress.state",
        "deliveryAddress.country": "deliveryAddress.country",
        "deliveryMethod": "deliveryMethod",
        "activationCode": "activationCode",
        // Transfers (`POST /v1/transfers`).
        "description": "description",
        "destinationAmount.amount": "amount",
        "destinationAmount.currency": "currency",
        // Limits (`PUT|PATCH /v1/cards/{id}/limits`).
        "minTransactionAmount": "minAmount",
        "maxTransactionAmount": "maxAmount",
        "allowedMerchantCategories": "merchantCategories.allowed",
        "blockedMerchantCategories": "merchantCategories.blocked",
        "allowedMerchantCountries": "merchantCountries.allowed",
        "blockedMerchantCountries": "merchantCountries.blocked",
        "allowedMerchantIds": "merchants.allowed",
        "blockedMerchantIds": "merchants.blocked",
    ]

    /// A Weavr 400 as `validation_failed` under public names. Fields not on the allow-list (ones the gateway
    /// fills in, or anything else) are left out, or named `unknownAs` when given; when nothing the client
    /// sent is to blame, it is the gateway's request that Weavr refused: 502 `upstream_error`.
    static func problem(_ fields: [WeavrInvalidField], unknownAs: String? = nil) -> Problem {
        var mapped: [Problem.InvalidField] = []
        for field in fields.prefix(100) {
            guard let name = publicNames[field.fieldName] ?? unknownAs else { continue }
            let reason = reason(field.error)
            if !mapped.contains(.init(name: name, reason: reason)) { mapped.append(.init(name: name, reason: reason)) }
        }
        guard !mapped.isEmpty else { return Problem(.upstreamError, detail: "Weavr refused the request") }
        return Problem(.validationFailed, invalidFields: mapped)
    }

    /// Weavr's error kinds (`REQUIRED`, `SIZE`, `REGEX`, …) as short lower-case reasons.
    static func reason(_ weavrError: String) -> String {
        switch weavrError {
        case "REQUIRED": "required"
        case "HAS_TEXT": "must not be blank"
        case "SIZE": "wrong length"
        case "RANGE": "out of range"
        case "REGEX": "contains characters that are not allowed"
        case "IN", "NOT_IN", "EXACTLY": "not an allowed value"
        default: "invalid"
        }
    }

    /// Runs a Weavr mutation, mapping a 400 to public names; other failures pass unchanged.
    static func mapped<Value>(_ body: () async throws(WeavrError) -> Value) async throws -> Value {
        do {
            return try await body()
        } catch {
            if case .badRequest(let fields) = error.kind { throw problem(fields) }
            throw error
        }
    }
}
