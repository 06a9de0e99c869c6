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
                              "description": "Your request id (1–128 of A-Z a-z 0-9 . _ -); generated when absent or invalid.",
                              "schema": ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"] as Object] as Object,
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
        ("403", "Refused (`forbidden`, `csrf_failed`, `step_up_required`)"), ("404", "Not found"),
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
            "Health": object(["status": enumSchema(["ok"])], required: ["status"]),
            "Currency": ["type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code."] as Object,
            "Balance": object(["available": money, "actual": money], required: ["available", "actual"]),
            "Card": object([
                "id": ["type": "string"] as Object,
                "name": ["type": "string"] as Object,
                "nameOnCard": ["type": "string"] as Object,
                "last4": ["type": ["string", "null"], "pattern": "^[0-9]{4}$"] as Object,
                "expiry": ["type": ["string", "null"], "description": "MMYY."] as Object,
                "state": enumSchema(["active", "blocked", "destroyed", "not_enabled"]),
                "blockedReason": ["type": ["string", "null"]] as Object,
                "type": enumSchema(["virtual", "physical"]),
                "mode": enumSchema(["prepaid", "debit"]),
                "currency": ref("Currency"),
                "balance": ["oneOf": [ref("Balance"), ["type": "null"] as Object]] as Object,
                "createdAt": timestamp,
            ], required: ["id", "name", "nameOnCard", "last4", "expiry", "state", "blockedReason", "type", "mode", "currency", "balance", "createdAt"]),
            "CreateCardRequest": object([
                "name": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "nameOnCard": ["type": "string", "minLength": 1, "maxLength": 27] as Object,
                "currency": ref("Currency"),
                "mode": ["type": "string", "enum": ["prepaid", "debit"], "default": "prepaid"] as Object,
                "billingAddress": ref("BillingAddress"),
                "parentAccountId": ["type": "string", "pattern": "^[0-9]{1,32}$", "description": "Debit mode only: the parent managed account."] as Object,
            ], required: ["name", "nameOnCard", "currency", "billingAddress"]),
            "UpdateCardRequest": object([
                "name": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "nameOnCard": ["type": "string", "minLength": 1, "maxLength": 27] as Object,
                "billingAddress": ref("BillingAddress"),
            ], required: [], minProperties: 1),
            "BillingAddress": object([
                "line1": ["type": "string", "minLength": 1, "maxLength": 150] as Object,
                "line2": ["type": "string", "maxLength": 150] as Object,
                "city": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "postCode": ["type": "string", "minLength": 1, "maxLength": 10] as Object,
                "state": ["type": "string", "maxLength": 50] as Object,
                "country": ["type": "string", "pattern": "^[A-Z]{2}$"] as Object,
            ], required: ["line1", "city", "postCode", "country"]),
            "CardPage": page(ref("Card")),
            "Account": object([
                "id": ["type": "string"] as Object,
                "name": ["type": "string"] as Object,
                "currency": ref("Currency"),
                "state": enumSchema(["active", "blocked", "destroyed"]),
                "blockedReason": ["type": ["string", "null"]] as Object,
                "balance": ["oneOf": [ref("Balance"), ["type": "null"] as Object]] as Object,
                "createdAt": timestamp,
            ], required: ["id", "name", "currency", "state", "blockedReason", "balance", "createdAt"]),
            "AccountPage": page(ref("Account")),
            "Mobile": object(["countryCode": ["type": "string", "pattern": "^\\+[0-9]{1,3}$"] as Object,
                              "number": ["type": "string", "pattern": "^[0-9]{1,12}$"] as Object],
                             required: ["countryCode", "number"]),
            "User": object([
                "id": ["type": "string"] as Object,
                "name": ["type": "string"] as Object,
                "surname": ["type": "string"] as Object,
                "email": ["type": "string", "format": "email"] as Object,
                "mobile": ["oneOf": [ref("Mobile"), ["type": "null"] as Object]] as Object,
                "active": ["type": "boolean"] as Object,
                "roles": ["type": "array", "items": ["type": "string"] as Object] as Object,
            ], required: ["id", "name", "surname", "email", "mobile", "active", "roles"]),
            "CreateUserRequest": object([
                "name": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "surname": ["type": "string", "minLength": 1, "maxLength": 50] as Object,
                "email": ["type": "string", "format": "email", "maxLength": 254] as Object,
                "mobile": ref("Mobile"),
                "roles": ["type": "array", "items": ["type": "string"] as Object] as Object,
            ], required: ["name", "surname", "email"]),
            "UserPage": page(ref("User")),
            "BulkStatus": enumSchema(["submitted", "running", "paused", "completed", "partially_completed", "failed", "cancelled"]),
            "BulkOperationStatus": enumSchema(["submitted", "running", "completed", "failed", "cancelled"]),
            "Bulk": object([
                "id": ["type": "string"] as Object,
                "status": ref("BulkStatus"),
                "operationCount": ["type": "integer", "minimum": 0] as Object,
                "progress": object(["submitted", "running", "completed", "failed", "cancelled"].reduce(into: Object()) {
                    $0[$1] = ["type": "integer", "minimum": 0] as Object
                }, required: ["submitted", "running", "completed", "failed", "cancelled"]),
                "startedAt": nullableTimestamp,
                "finishedAt": nullableTimestamp,
            ], required: ["id", "status", "operationCount", "progress", "startedAt", "finishedAt"]),
            "BulkOperation": object([
                "id": ["type": "string"] as Object,
                "status": ref("BulkOperationStatus"),
                "target": ["type": ["string", "null"], "description": "The card or user the operation acts on."] as Object,
                "error": ["oneOf": [ref("Problem"), ["type": "null"] as Object]] as Object,
            ], required: ["id", "status"]),
            "BulkOperationPage": page(ref("BulkOperation")),
            "BulkBlockCardsRequest": object(["cardIds": idList()], required: ["cardIds"]),
            "BulkCreateUsersRequest": object(["users": ["type": "array", "minItems": 1, "maxItems": 10000, "items": ref("CreateUserRequest")] as Object],
                                             required: ["users"]),
            "BulkInviteUsersRequest": object(["userIds": idList()], required: ["userIds"]),
            "LoginRequest": object([
                "tenant": ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"] as Object,
                "email": ["type": "string", "format": "email", "maxLength": 254] as Object,
                "password": ["type": "string", "minLength": 1, "maxLength": 100, "writeOnly": true] as Object,
                "mode": enumSchema(["cookie", "bearer"]),
            ], required: ["tenant", "email", "password"]),
            "LoginResponse": ["allOf": [ref("Me"), object([
                "mode": enumSchema(["cookie", "bearer"]),
                "token": ["type": "string", "description": "Bearer mode: send as `Authorization: Bearer …`."] as Object,
                "tokenType": enumSchema(["Bearer"]),
                "csrfToken": ["type": "string", "description": "Cookie mode: send as `X-CSRF-Token` on unsafe methods."] as Object,
            ], required: ["mode"])]] as Object,
            "Me": object([
                "tenant": object(["id": ["type": "string"] as Object, "name": ["type": "string"] as Object], required: ["id", "name"]),
                "user": object([
                    "id": ["type": "string"] as Object,
                    "identity": object(["type": enumSchema(["corporate", "consumer"]), "id": ["type": "string"] as Object], required: ["type", "id"]),
                ], required: ["id", "identity"]),
                "steppedUp": ["type": "boolean"] as Object,
                "expiresAt": timestamp,
                "idleExpiresAt": timestamp,
            ], required: ["tenant", "user", "steppedUp", "expiresAt", "idleExpiresAt"]),
            "StepUpChallenge": object(["channel": enumSchema(["sms"]), "status": enumSchema(["challenge_sent"])], required: ["channel", "status"]),
            "StepUpVerifyRequest": object(["code": ["type": "string", "pattern": "^[0-9]{6}$"] as Object], required: ["code"]),
        ]
    }

    static func object(_ properties: Object, required: [String], minProperties: Int? = nil) -> Object {
        var schema: Object = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        if let minProperties { schema["minProperties"] = minProperties }
        return schema
    }

    static func page(_ item: Object) -> Object {
        object([
            "items": ["type": "array", "items": item] as Object,
            "nextCursor": ["type": ["string", "null"], "description": "Pass as `cursor` for the next page; null on the last page."] as Object,
        ], required: ["items", "nextCursor"])
    }

    static func idList() -> Object {
        ["type": "array", "minItems": 1, "maxItems": 1000, "uniqueItems": true, "items": ["type": "string", "minLength": 1] as Object]
    }
}
