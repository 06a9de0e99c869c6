import Foundation

extension OpenAPIDocument {
    static func components() -> Object {
        [
            "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer", "description": "The `token` from a bearer-mode login."] as Object,
                "cookie": ["type": "apiKey", "in": "cookie", "name": "__Host-gw_session",
                           "description": "The session cookie set by a cookie-mode login."] as Object,
                "csrf": ["type": "apiKey", "in": "header", "name": "X-CSRF-Token",
                         "description": "Cookie mode: the login's `csrfToken`, required on unsafe methods."] as Object,
            ] as Object,
            "parameters": [
                "RequestId": ["name": "X-Request-Id", "in": "header", "required": false,
                              "description": "Your request id: kept when it is 1–128 of A-Z a-z 0-9 . _ -, otherwise replaced by a "
                                  + "generated one (never refused); the answer's `X-Request-Id` is the one used.",
                              "schema": ["type": "string"] as Object] as Object,
                "IdempotencyKey": ["name": "Idempotency-Key", "in": "header", "required": false,
                                   "description": "Makes the mutation safe to retry: the first response is replayed for 24 h for the same "
                                       + "user, key and request; a different request under the key → 422 `idempotency_key_reused`; "
                                       + "while the first runs → 409 `idempotency_in_flight`.",
                                   "schema": ["type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7E]+$"] as Object] as Object,
                "Limit": ["name": "limit", "in": "query", "required": false, "description": "Page size.",
                          "schema": ["type": "integer", "minimum": 1, "maximum": 100, "default": 20] as Object] as Object,
                "Cursor": ["name": "cursor", "in": "query", "required": false,
                           "description": "The `nextCursor` of the previous page (opaque).",
                           "schema": ["type": "string", "maxLength": 512] as Object] as Object,
            ] as Object,
            "headers": [
                "X-Request-Id": header("The request id (yours, or generated).", ["type": "string"]),
                "Idempotent-Replayed": header("`true` when this is the stored response of an earlier request with the same Idempotency-Key.",
                                              ["type": "string", "enum": ["true"]]),
                "Retry-After": header("Seconds to wait before retrying.", ["type": "integer", "minimum": 0]),
                "RateLimit": header("The remaining quota (IETF draft-ietf-httpapi-ratelimit-headers).", ["type": "string"]),
                "RateLimit-Policy": header("The quota policy (IETF draft-ietf-httpapi-ratelimit-headers).", ["type": "string"]),
            ] as Object,
            "responses": problemResponses(),
            "schemas": schemas(),
        ]
    }

    static func header(_ description: String, _ schema: Object) -> Object {
        ["description": description, "schema": schema]
    }

    static let problemStatuses: [(String, String)] = [
        ("400", "Malformed request"), ("401", "No valid session (`unauthenticated`, `session_expired`)"),
        ("403", "Refused (`forbidden`, `csrf_failed`, `step_up_required`)"), ("404", "Not found"), ("406", "No acceptable representation (`not_acceptable`)"),
        ("409", "Conflict (`conflict` with `upstreamCode`, `idempotency_in_flight`)"), ("413", "Body too large"),
        ("415", "Not JSON"), ("422", "Invalid fields (`validation_failed`), `idempotency_key_reused`"),
        ("423", "Account locked"), ("429", "Rate limited or over quota"), ("502", "Weavr answered with an error"),
        ("503", "Weavr or the gateway's storage unavailable"), ("504", "Weavr did not answer in time"),
    ]

    static func problemResponses() -> Object {
        var responses: Object = [:]
        let retrying: Set<String> = ["409", "423", "429", "502", "503", "504"]
        for (status, description) in problemStatuses {
            var headers: Object = ["X-Request-Id": ["$ref": "#/components/headers/X-Request-Id"] as Object]
            if retrying.contains(status) { headers["Retry-After"] = ["$ref": "#/components/headers/Retry-After"] as Object }
            if status == "429" {
                headers["RateLimit"] = ["$ref": "#/components/headers/RateLimit"] as Object
                headers["RateLimit-Policy"] = ["$ref": "#/components/headers/RateLimit-Policy"] as Object
            }
            responses["Problem\(status)"] = problemResponse(description, headers: headers)
        }
        responses["ProblemDefault"] = problemResponse(
            "Any other problem", headers: ["X-Request-Id": ["$ref": "#/components/headers/X-Request-Id"] as Object]
        )
        return responses
    }

    static func problemResponse(_ description: String, headers: Object) -> Object {
        ["description": description, "headers": headers,
         "content": ["application/problem+json": ["schema": ref("Problem")] as Object] as Object]
    }

    static func schemas() -> Object {
        let timestamp: Object = ["type": "string", "format": "date-time"]
        let nullableTimestamp: Object = ["type": ["string", "null"], "format": "date-time"]
        let money: Object = ["type": "integer", "format": "int64", "description": "Minor units (cents)."]
        // `GET /v1/me`, and the login answer that adds its token fields to it.
        let me: Object = [
            "tenant": object(["id": ["type": "string"] as Object, "name": ["type": "string"] as Object], required: ["id", "name"]),
            "user": object([
                "id": ["type": "string"] as Object,
                "identity": object(["type": enumSchema(["corporate", "consumer"]), "id": ["type": "string"] as Object], required: ["type", "id"]),
            ], required: ["id", "identity"]),
            "steppedUp": ["type": "boolean"] as Object,
            "expiresAt": timestamp,
            "idleExpiresAt": timestamp,
        ]
        let meRequired = ["tenant", "user", "steppedUp", "expiresAt", "idleExpiresAt"]
        return [
            "Problem": object([
                "type": ["type": "string", "format": "uri"] as Object,
                "title": ["type": "string"] as Object,
                "status": ["type": "integer"] as Object,
                "code": enumSchema(Problem.Code.allCases.map(\.rawValue)),
                "detail": ["type": "string"] as Object,
                "upstreamCode": ["type": "string", "description": "Weavr's own error code, where it helps (e.g. INSTRUMENT_ALREADY_BLOCKED)."] as Object,
                "invalidFields": ["type": "array", "items": object(["name": ["type": "string"] as Object, "reason": ["type": "string"] as Object],
                                                                   required: ["name", "reason"])] as Object,
            ], required: ["type", "title", "status", "code"]),
            "BulkOperationError": object(["code": ["type": "string", "pattern": "^[A-Z0-9_]{1,64}$",
                                                   "description": "Weavr's error code (`VALIDATION_FAILED` for a 400, `UNKNOWN` when Weavr gave none)."] as Object],
                                         required: ["code"]),
            "Health": object(["status": enumSchema(["ok"])], required: ["status"]),
            "Readiness": object([
                "status": enumSchema(["ready", "not_ready"]),
                "checks": object(["database", "signing_keys", "upstream"].reduce(into: Object()) { $0[$1] = ["type": "string"] as Object },
                                 required: ["database"]),
                "openCircuits": ["type": "integer", "minimum": 1, "description": "Weavr base URLs whose circuit is open."] as Object,
            ], required: ["status", "checks"]),
            "Currency": ["type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code."] as Object,
            "Balance": object(["available": money, "actual": money], required: ["available", "actual"]),
            "InstrumentState": enumSchema(CardsRoutes.states),
            "BlockedReason": ["type": ["string", "null"], "enum": InstrumentStateView.blockedReasons + [NSNull()],
                              "description": "Why the instrument is blocked (Weavr's `state.blockedReason`, lower-case; `other` for a reason "
                                  + "this API does not know yet); null unless `state` is `blocked`. Only `user` can be unblocked."] as Object,
            "DestroyedReason": ["type": ["string", "null"], "enum": InstrumentStateView.destroyedReasons + [NSNull()],
                                "description": "Why the instrument was destroyed (Weavr's `state.destroyedReason`, lower-case; `other` for a "
                                    + "reason this API does not know yet); null unless `state` is `destroyed`."] as Object,
            "Card": object([
                "id": ["type": "string"] as Object,
                "name": ["type": "string"] as Object,
                "nameOnCard": ["type": "string"] as Object,
                "last4": ["type": ["string", "null"], "pattern": "^[0-9]{4}$"] as Object,
                "expiry": ["type": ["string", "null"], "pattern": "^[0-9]{2}/[0-9]{2}$", "description": "MM/YY (e.g. `11/29`)."] as Object,
                "state": ref("InstrumentState"),
                "blockedReason": ref("BlockedReason"),
                "destroyedReason": ref("DestroyedReason"),
                "type": enumSchema(["virtual", "physical"]),
                "mode": enumSchema(["prepaid", "debit"]),
                "currency": ref("Currency"),
                "balance": ["oneOf": [ref("Balance"), ["type": "null"] as Object]] as Object,
                "createdAt": timestamp,
                "physical": ["oneOf": [ref("PhysicalCard"), ["type": "null"] as Object],
                             "description": "Null for a virtual card."] as Object,
            ], required: ["id", "name", "nameOnCard", "last4", "expiry", "state", "blockedReason", "destroyedReason", "type", "mode", "currency",
                          "balance", "createdAt", "physical"]),
            "PhysicalCard": object([
                "activated": ["type": "boolean", "description": "False until the cardholder activates the delivered card."] as Object,
                "pinBlocked": ["type": "boolean", "description": "Too many wrong PINs; `POST /v1/cards/{id}/physical/pin/unblock` lifts it."] as Object,
                "manufacturingState": ["type": ["string", "null"], "enum": PhysicalView.manufacturingStates + ["other", NSNull()]] as Object,
                "deliveryMethod": ["type": ["string", "null"], "enum": PhysicalView.deliveryMethods + ["other", NSNull()]] as Object,
            ], required: ["activated", "pinBlocked", "manufacturingState", "deliveryMethod"]),
            "CreateCardRequest": object([
                "name": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "nameOnCard": ["type": "string", "minLength": 1, "maxLength": 27] as Object,
                "currency": ref("Currency"),
                "mode": ["type": "string", "enum": ["prepaid", "debit"], "default": "prepaid"] as Object,
                "billingAddress": ref("BillingAddress"),
                "parentAccountId": ["type": "string", "pattern": "^[0-9]{1,32}$", "description": "Debit mode only: the parent managed account."] as Object,
            ], required: ["name", "nameOnCard", "currency", "billingAddress"], open: true),
            "UpdateCardRequest": object([
                "name": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "nameOnCard": ["type": "string", "minLength": 1, "maxLength": 27] as Object,
                "billingAddress": ref("BillingAddress"),
            ], required: [], minProperties: 1, open: true),
            "BillingAddress": object([
                "line1": ["type": "string", "minLength": 1, "maxLength": 150] as Object,
                "line2": ["type": "string", "maxLength": 150] as Object,
                "city": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "postCode": ["type": "string", "minLength": 1, "maxLength": 10] as Object,
                "state": ["type": "string", "maxLength": 50] as Object,
                "country": ["type": "string", "pattern": "^[A-Z]{2}$"] as Object,
            ], required: ["line1", "city", "postCode", "country"], open: true),
            "CardPage": page("cards", ref("Card")),
            "Account": object([
                "id": ["type": "string"] as Object,
                "name": ["type": "string"] as Object,
                "currency": ref("Currency"),
                "state": ref("InstrumentState"),
                "blockedReason": ref("BlockedReason"),
                "destroyedReason": ref("DestroyedReason"),
                "balance": ref("Balance"),
                "createdAt": timestamp,
            ], required: ["id", "name", "currency", "state", "blockedReason", "destroyedReason", "balance", "createdAt"]),
            "AccountPage": page("accounts", ref("Account")),
            "AccountIBAN": object([
                "state": ["type": "string", "enum": ["unallocated", "pending", "allocated"],
                          "description": "`unallocated`: never upgraded (no details); `pending`: Weavr is allocating it; `allocated`: the details are ready to use."] as Object,
                "details": ["type": "array", "items": ref("BankDetails"),
                            "description": "How to pay into the account, one entry per channel Weavr offers."] as Object,
            ], required: ["state", "details"]),
            "BankDetails": object([
                "type": ["type": "string", "enum": ["sepa", "faster_payments", "swift"],
                         "description": "The payment channel: `sepa` and `swift` use `iban` and `bic`; `faster_payments` uses `accountNumber` and `sortCode`."] as Object,
                "iban": ["type": ["string", "null"], "pattern": "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"] as Object,
                "bic": ["type": ["string", "null"], "description": "BIC (SEPA) or SWIFT code."] as Object,
                "accountNumber": ["type": ["string", "null"], "pattern": "^[0-9]{8}$"] as Object,
                "sortCode": ["type": ["string", "null"], "pattern": "^[0-9]{6}$"] as Object,
                "beneficiaryName": ["type": "string"] as Object,
                "beneficiaryBank": ["type": "string"] as Object,
                "beneficiaryBankAddress": ["type": "string"] as Object,
                "paymentReference": ["type": ["string", "null"], "description": "When set, payers must quote it."] as Object,
            ], required: ["type", "iban", "bic", "accountNumber", "sortCode", "beneficiaryName", "beneficiaryBank", "beneficiaryBankAddress", "paymentReference"]),
            "SpendLimit": object([
                "interval": ["type": "string", "enum": LimitsInput.intervals] as Object,
                "amount": ["type": "integer", "minimum": 0, "maximum": LimitsInput.maxAmount, "description": "Minor units."] as Object,
                "currency": ref("Currency"),
            ], required: ["interval", "amount", "currency"]),
            "Limits": object([
                "spendLimits": ["type": "array", "items": ref("SpendLimit")] as Object,
                "minAmount": ["type": ["integer", "null"], "description": "Smallest purchase allowed (minor units)."] as Object,
                "maxAmount": ["type": ["integer", "null"], "description": "Largest purchase allowed (minor units)."] as Object,
                "channels": object(LimitsInput.channels.reduce(into: Object()) { $0[$1.public] = ["type": ["boolean", "null"]] as Object },
                                   required: LimitsInput.channels.map(\.public)),
                "merchantCategories": allowBlock(["type": "string", "pattern": "^[0-9]{4}$"]),
                "merchantCountries": allowBlock(["type": "string", "pattern": "^[A-Z]{2}$"]),
                "merchants": allowBlock(["type": "string", "minLength": 1, "maxLength": 64]),
            ], required: ["spendLimits", "minAmount", "maxAmount", "channels", "merchantCategories", "merchantCountries", "merchants"]),
            "LimitsInput": object([
                "spendLimits": ["type": "array", "maxItems": LimitsInput.intervals.count, "items": ref("SpendLimit"),
                                "description": "At most one per interval; the currency must be the card's."] as Object,
                "minAmount": ["type": "integer", "minimum": 0, "maximum": LimitsInput.maxAmount] as Object,
                "maxAmount": ["type": "integer", "minimum": 0, "maximum": LimitsInput.maxAmount] as Object,
                "channels": object(LimitsInput.channels.reduce(into: Object()) { $0[$1.public] = ["type": "boolean"] as Object }, required: []),
                "merchantCategories": allowBlock(["type": "string", "pattern": "^[0-9]{4}$"], input: true, max: 200),
                "merchantCountries": allowBlock(["type": "string", "pattern": "^[A-Z]{2}$"], input: true, max: 50),
                "merchants": allowBlock(["type": "string", "minLength": 1, "maxLength": 64], input: true, max: 200),
            ], required: []),
            "PhysicalUpgradeRequest": object([
                "deliveryAddress": object([
                    "name": ["type": "string", "minLength": 1, "maxLength": 100] as Object,
                    "surname": ["type": "string", "minLength": 1, "maxLength": 100] as Object,
                    "line1": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                    "line2": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                    "city": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                    "postCode": ["type": "string", "minLength": 1, "maxLength": 10, "pattern": "^[A-Za-z0-9 -]+$"] as Object,
                    "state": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                    "country": ["type": "string", "pattern": "^[A-Z]{2}$"] as Object,
                ], required: ["name", "surname", "line1", "city", "postCode", "country"], open: true),
                "deliveryMethod": enumSchema(PhysicalInput.deliveryMethods),
                "activationCode": ["type": "string", "pattern": "^[0-9]{1,6}$",
                                   "description": "The code the cardholder types to activate the delivered card."] as Object,
            ], required: ["deliveryAddress"], open: true),
            "ActivationRequest": object(["activationCode": ["type": "string", "pattern": "^[0-9]{1,6}$"] as Object],
                                        required: ["activationCode"], open: true),
            "ReportRequest": object(["reason": enumSchema(["lost", "stolen"])], required: ["reason"], open: true),
            "ReplaceRequest": object(["reason": enumSchema(["damaged", "lost_stolen"]),
                                      "activationCode": ["type": "string", "pattern": "^[0-9]{1,6}$"] as Object],
                                     required: ["reason", "activationCode"], open: true),
            "PinToken": object(["pin": object(["token": ["type": "string",
                                                         "description": "Weavr's tokenised PIN, for its Display Card PIN UI component; never the digits."] as Object],
                                              required: ["token"])], required: ["pin"]),
            "Statement": object([
                "openingBalance": ["oneOf": [object(["amount": money, "currency": ref("Currency")], required: ["amount", "currency"]), ["type": "null"] as Object]] as Object,
                "closingBalance": ["oneOf": [object(["amount": money, "currency": ref("Currency")], required: ["amount", "currency"]), ["type": "null"] as Object]] as Object,
                "entries": ["type": "array", "items": object([
                    "id": ["type": "string"] as Object,
                    "transactionId": ["type": "string"] as Object,
                    "type": enumSchema(TransactionInput.types.map(\.public) + ["other"]),
                    "description": ["type": ["string", "null"]] as Object,
                    "amount": ["type": "integer", "format": "int64", "description": "Minor units: positive credits, negative debits."] as Object,
                    "currency": ref("Currency"),
                    "balanceAfter": money,
                    "postedAt": timestamp,
                    "counterparty": ["oneOf": [object([
                        "name": ["type": ["string", "null"]] as Object,
                        "type": ["type": ["string", "null"], "enum": ["card", "account", "other", NSNull()]] as Object,
                        "id": ["type": ["string", "null"]] as Object,
                    ], required: ["name", "type", "id"]), ["type": "null"] as Object]] as Object,
                ], required: ["id", "transactionId", "type", "description", "amount", "currency", "balanceAfter", "postedAt", "counterparty"])] as Object,
                "footer": ["type": ["string", "null"]] as Object,
                "nextCursor": ["type": ["string", "null"]] as Object,
            ], required: ["openingBalance", "closingBalance", "entries", "footer", "nextCursor"]),
            "CardReveal": object([
                "cardNumber": object(["token": ["type": "string", "description": "Weavr's tokenised card number, for its Card Number UI component; never the digits."] as Object], required: ["token"]),
                "cvv": object(["token": ["type": "string", "description": "Weavr's tokenised CVV, for its CVV UI component; never the digits."] as Object], required: ["token"]),
                "weavrUserToken": ["type": "string", "description": "A separate Weavr session made for this reveal alone (not the user's own session), for the Secure UI components' associate call; the gateway logs it out at Weavr at expiresAt."] as Object,
                "expiresAt": ["type": "string", "format": "date-time", "description": "When the gateway logs the reveal session out at Weavr"] as Object,
            ], required: ["cardNumber", "cvv", "weavrUserToken", "expiresAt"]),
            "InstrumentRef": object([
                "type": enumSchema(["card", "account"]),
                "id": ["type": "string", "pattern": "^[0-9]{1,32}$"] as Object,
            ], required: ["type", "id"]),
            "InstrumentRefInput": object([
                "type": enumSchema(["card", "account"]),
                "id": ["type": "string", "pattern": "^[0-9]{1,32}$"] as Object,
            ], required: ["type", "id"], open: true),
            "CreateTransferRequest": object([
                "source": ref("InstrumentRefInput"),
                "destination": ref("InstrumentRefInput"),
                "amount": ["type": "integer", "minimum": 1, "maximum": TransferInput.maxAmount,
                           "description": "Minor units (cents) in `currency`, which must be both instruments' currency."] as Object,
                "currency": ref("Currency"),
                "description": ["type": "string", "minLength": 1, "maxLength": 255, "description": "Shown as the transaction's reference."] as Object,
            ], required: ["source", "destination", "amount", "currency"], open: true),
            "Transfer": object([
                "id": ["type": "string"] as Object,
                "source": ref("InstrumentRef"),
                "destination": ref("InstrumentRef"),
                "amount": money,
                "currency": ref("Currency"),
                "description": ["type": ["string", "null"]] as Object,
                "state": ["type": "string", "enum": TransferView.states + ["other"],
                          "description": "Weavr's transaction state, lower-case; `other` for one this API does not know yet."] as Object,
                "createdAt": timestamp,
                "executedAt": nullableTimestamp,
            ], required: ["id", "source", "destination", "amount", "currency", "description", "state", "createdAt", "executedAt"]),
            "TransferPage": page("transfers", ref("Transfer")),
            "Transaction": object([
                "id": ["type": "string"] as Object,
                "type": ["type": "string", "enum": TransactionInput.types.map(\.public) + ["other"]] as Object,
                "status": ["type": "string", "enum": TransactionInput.statuses + ["other"],
                           "description": "Weavr's normalised status, lower-case: a card payment authorised and held is `processing`, settled `completed`."] as Object,
                "direction": ["type": ["string", "null"], "enum": ["credit", "debit", NSNull()]] as Object,
                "amount": money,
                "currency": ref("Currency"),
                "createdAt": timestamp,
                "updatedAt": nullableTimestamp,
                "merchant": ["oneOf": [object([
                    "name": ["type": "string"] as Object,
                    "categoryCode": ["type": ["string", "null"], "description": "ISO 18245 merchant category code."] as Object,
                    "country": ["type": ["string", "null"]] as Object,
                ], required: ["name", "categoryCode", "country"]), ["type": "null"] as Object]] as Object,
                "paymentStatus": ["type": ["string", "null"], "enum": TransactionView.paymentStatuses + ["other", NSNull()],
                                  "description": "A card payment's own lifecycle; null for other types."] as Object,
                "transfer": ["oneOf": [object(["source": ref("InstrumentRef"), "destination": ref("InstrumentRef")],
                                              required: ["source", "destination"]), ["type": "null"] as Object]] as Object,
            ], required: ["id", "type", "status", "direction", "amount", "currency", "createdAt", "updatedAt", "merchant", "paymentStatus", "transfer"]),
            "TransactionPage": page("transactions", ref("Transaction")),
            "Mobile": object(["countryCode": ["type": "string"] as Object, "number": ["type": "string"] as Object],
                             required: ["countryCode", "number"]),
            "MobileInput": object(["countryCode": ["type": "string", "pattern": "^\\+[0-9]{1,3}$"] as Object,
                                   "number": ["type": "string", "pattern": "^[0-9]{1,12}$"] as Object],
                                  required: ["countryCode", "number"], open: true),
            "User": object([
                "id": ["type": "string"] as Object,
                "name": ["type": "string"] as Object,
                "surname": ["type": "string"] as Object,
                "email": ["type": "string", "format": "email"] as Object,
                "mobile": ["oneOf": [ref("Mobile"), ["type": "null"] as Object]] as Object,
                "dateOfBirth": ["type": ["string", "null"], "format": "date"] as Object,
                "active": ["type": "boolean"] as Object,
                "roles": ["type": "array", "items": ["type": "string"] as Object] as Object,
            ], required: ["id", "name", "surname", "email", "mobile", "dateOfBirth", "active", "roles"]),
            "UpdateUserRequest": object([
                "name": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "surname": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "email": ["type": "string", "format": "email", "maxLength": 254] as Object,
                "mobile": ref("MobileInput"),
                "dateOfBirth": ["type": "string", "format": "date", "description": "`YYYY-MM-DD`"] as Object,
            ], required: [], minProperties: 1),
            "CreateUserRequest": object([
                "name": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "surname": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "email": ["type": "string", "format": "email", "maxLength": 254] as Object,
                "mobile": ref("MobileInput"),
                "roles": ["type": "array", "items": ["type": "string"] as Object] as Object,
            ], required: ["name", "surname", "email"], open: true),
            "UserPage": page("users", ref("User")),
            "BulkStatus": ["type": "string", "enum": BulkView.statuses + ["unknown"],
                           "description": "Weavr's status, lower-case; `unknown` for one this API does not know yet."] as Object,
            "BulkOperationStatus": ["type": "string", "enum": BulkView.operationStatuses + ["unknown"],
                                    "description": "Weavr's status, lower-case; `unknown` for one this API does not know yet."] as Object,
            "BulkType": ["type": "string", "enum": BulkView.types,
                         "description": "What every operation of the process does."] as Object,
            "BulkSubmitted": object([
                "id": ["type": "string"] as Object,
                "status": ref("BulkStatus"),
                "operationCount": ["type": "integer", "minimum": 0] as Object,
            ], required: ["id", "status", "operationCount"]),
            "Bulk": object([
                "id": ["type": "string"] as Object,
                "type": ref("BulkType"),
                "status": ref("BulkStatus"),
                "operationCount": ["type": "integer", "minimum": 0] as Object,
                "progress": object(["submitted", "running", "completed", "failed", "cancelled"].reduce(into: Object()) {
                    $0[$1] = ["type": "integer", "minimum": 0] as Object
                }, required: ["submitted", "running", "completed", "failed", "cancelled"]),
                "startedAt": nullableTimestamp,
                "finishedAt": nullableTimestamp,
            ], required: ["id", "type", "status", "operationCount", "progress", "startedAt", "finishedAt"]),
            "BulkOperation": object([
                "sequence": ["type": ["integer", "null"], "description": "The operation's position in the submitted list."] as Object,
                "status": ref("BulkOperationStatus"),
                "target": ["type": ["string", "null"], "description": "The card or user the operation acts on."] as Object,
                "error": ref("BulkOperationError"),
            ], required: ["sequence", "target", "status"]),
            "BulkOperationPage": page("operations", ref("BulkOperation")),
            "OnFailure": ["type": "string", "enum": ["continue", "stop"], "default": "continue",
                          "description": "`stop`: the remaining operations are cancelled after the first failure."] as Object,
            "BulkBlockCardsRequest": object(["cardIds": idList(), "onFailure": ref("OnFailure")], required: ["cardIds"], open: true),
            "BulkCreateUsersRequest": object(["users": ["type": "array", "minItems": 1, "maxItems": BulkSubmission.maxOperations,
                                                        "items": ref("CreateUserRequest")] as Object,
                                              "onFailure": ref("OnFailure")],
                                             required: ["users"], open: true),
            "BulkInviteUsersRequest": object(["userIds": idList(), "onFailure": ref("OnFailure")], required: ["userIds"], open: true),
            "LoginRequest": object([
                "tenant": ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"] as Object,
                "email": ["type": "string", "format": "email", "maxLength": 254] as Object,
                "password": ["type": "string", "minLength": 1, "maxLength": 100, "writeOnly": true] as Object,
                "mode": enumSchema(["cookie", "bearer"]),
            ], required: ["tenant", "email", "password"], open: true),
            "LoginResponse": object(me.merging([
                "mode": enumSchema(["cookie", "bearer"]),
                "token": ["type": "string", "description": "Bearer mode: send as `Authorization: Bearer …`."] as Object,
                "tokenType": enumSchema(["Bearer"]),
                "csrfToken": ["type": "string", "description": "Cookie mode: send as `X-CSRF-Token` on unsafe methods."] as Object,
            ]) { own, _ in own }, required: meRequired + ["mode"]),
            "Me": object(me, required: meRequired),
            "StepUpChallenge": object(["channel": enumSchema(["sms"]), "status": enumSchema(["challenge_sent"])], required: ["channel", "status"]),
            "InviteConsumeRequest": object([
                "tenant": ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"] as Object,
                "userId": ["type": "string", "pattern": "^[0-9]{1,32}$", "description": "The invited user's id (from the invite link)."] as Object,
                "inviteCode": ["type": "string", "pattern": "^[0-9]{6}$", "writeOnly": true, "description": "The code from the invite email."] as Object,
                "password": ["type": "string", "minLength": 1, "maxLength": 100, "writeOnly": true,
                             "description": "The password the user chooses (Weavr's rules: 8–30 characters, lower and upper case, a digit and a symbol)."] as Object,
            ], required: ["tenant", "userId", "inviteCode", "password"], open: true),
            "LostPasswordRequest": object([
                "tenant": ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"] as Object,
                "email": ["type": "string", "format": "email", "maxLength": 254] as Object,
            ], required: ["tenant", "email"], open: true),
            "ResetPasswordRequest": object([
                "tenant": ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"] as Object,
                "email": ["type": "string", "format": "email", "maxLength": 254] as Object,
                "nonce": ["type": "string", "pattern": "^[0-9]{6}$", "writeOnly": true, "description": "The nonce from the lost-password email."] as Object,
                "newPassword": ["type": "string", "minLength": 1, "maxLength": 100, "writeOnly": true] as Object,
            ], required: ["tenant", "email", "nonce", "newPassword"], open: true),
            "ChangePasswordRequest": object([
                "oldPassword": ["type": "string", "minLength": 1, "maxLength": 100, "writeOnly": true] as Object,
                "newPassword": ["type": "string", "minLength": 1, "maxLength": 100, "writeOnly": true] as Object,
            ], required: ["oldPassword", "newPassword"], open: true),
            "FactorEnrolment": object(["channel": enumSchema(["sms"]), "status": enumSchema(["code_sent"])], required: ["channel", "status"]),
            "StepUpVerifyRequest": object(["code": ["type": "string", "pattern": "^[0-9]{6}$"] as Object], required: ["code"], open: true),
        ]
    }

    /// An object schema. Answers are closed (`additionalProperties: false`: a member the server adds without
    /// documenting it fails the end-to-end suite); request bodies are `open`, as the server ignores members
    /// it does not know.
    static func object(_ properties: Object, required: [String], minProperties: Int? = nil, open: Bool = false) -> Object {
        var schema: Object = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        if let minProperties { schema["minProperties"] = minProperties }
        if !open { schema["additionalProperties"] = false }
        return schema
    }

    /// `{allowed: [item], blocked: [item]}` (an input: both optional, at most `max` each).
    static func allowBlock(_ item: Object, input: Bool = false, max: Int? = nil) -> Object {
        var list: Object = ["type": "array", "items": item]
        if let max { list["maxItems"] = max }
        return object(["allowed": list, "blocked": list], required: input ? [] : ["allowed", "blocked"])
    }

    /// A page of a `/v1` list: the items under the list's own name (`cards`, `accounts`, …) and `nextCursor`.
    static func page(_ name: String, _ item: Object) -> Object {
        object([
            name: ["type": "array", "items": item] as Object,
            "nextCursor": ["type": ["string", "null"], "description": "Pass as `cursor` for the next page; null on the last page."] as Object,
        ], required: [name, "nextCursor"])
    }

    /// 1…10,000 distinct numeric ids (a Weavr bulk holds at most 10,000 operations).
    static func idList() -> Object {
        ["type": "array", "minItems": 1, "maxItems": BulkSubmission.maxOperations, "uniqueItems": true,
         "items": ["type": "string", "pattern": "^[0-9]{1,32}$"] as Object]
    }
}
