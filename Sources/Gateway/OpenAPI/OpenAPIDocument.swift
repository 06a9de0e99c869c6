import Auth
import Foundation

/// The OpenAPI 3.1 description of the public API (`GET /openapi.json`), built once at first use.
///
/// Written by hand next to the routes; `OpenAPITests` checks it against the router's routes and runs
/// `openapi-spec-validator` on it. The problem `code` enum comes from `Problem.Code.allCases`.
enum OpenAPIDocument {
    /// The document as JSON (sorted keys, so it is byte-for-byte stable).
    static let json: [UInt8] = {
        let data = try? JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys])
        return data.map { Array($0) } ?? []
    }()

    typealias Object = [String: Any]

    static func document() -> Object {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "weavr-gateway public API",
                "version": "1.0.0",
                "description": "A small, stable JSON API in front of the Weavr Multi API. Errors are RFC 9457 problem documents "
                    + "(application/problem+json) with a stable `code`. Mutations accept `Idempotency-Key`. Reads refuse query "
                    + "parameters they do not list (422 `validation_failed` naming them). Daily quotas per tenant (429 "
                    + "`quota_exceeded`), defaults: " + quotaDefaults + ".",
            ] as Object,
            "servers": [["url": "/"] as Object],
            "security": [["bearer": [String]()] as Object, ["cookie": [String](), "csrf": [String]()] as Object],
            "paths": paths().merging(eventPaths()) { first, _ in first },
            "components": components(),
        ]
    }

    /// `bulk.operations 50000, cards.block 1000, …` (`Tenant.defaultQuotas`; `bulk.operations` counts bulk items).
    static var quotaDefaults: String {
        Tenant.defaultQuotas.sorted { $0.key < $1.key }.map { "`\($0.key)` \($0.value)" }.joined(separator: ", ")
    }

    // MARK: paths

    static func paths() -> Object {
        // Weavr ids are digits; a bulk id is a short token. Anything else is 404 without asking Weavr.
        let weavrID = pathParameter("id", pattern: "^[0-9]{1,32}$")
        let bulkID = pathParameter("id", pattern: "^[A-Za-z0-9_-]{1,64}$")
        let bulkSubmitted = jsonResponse("Submitted and started; follow `Location` (`GET /v1/bulk/{id}`) for progress", ref("BulkSubmitted"),
                                         headers: ["Location": ["description": "The bulk's URL", "schema": ["type": "string"]] as Object])
        return [
            "/healthz": [
                "get": operation("getHealth", tag: "ops", summary: "Liveness", public: true, problems: [],
                                 responses: ["200": jsonResponse("The process is up", ref("Health"))]),
            ] as Object,
            "/readyz": [
                "get": operation("getReadiness", tag: "ops", summary: "Readiness: storage, signing keys and Weavr circuits", public: true, problems: [],
                                 responses: ["200": jsonResponse("Ready", ref("Readiness")),
                                             "503": jsonResponse("Not ready; `checks` names what failed", ref("Readiness"))]),
            ] as Object,
            "/openapi.json": [
                "get": operation("getOpenAPI", tag: "ops", summary: "This document", public: true, problems: [],
                                 responses: ["200": jsonResponse("OpenAPI 3.1 document", ["type": "object"])]),
            ] as Object,
            "/v1/auth/login": [
                "post": operation("login", tag: "auth", summary: "Log in with Weavr credentials", public: true,
                                  body: ref("LoginRequest"),
                                  problems: ["400", "401", "413", "415", "422", "423", "429", "502", "503", "504"],
                                  responses: ["200": jsonResponse("Logged in; cookie mode also sets `__Host-gw_session`", ref("LoginResponse"),
                                                                  headers: ["Set-Cookie": ["description": "Cookie mode: `__Host-gw_session` (Secure, HttpOnly, SameSite=Strict)", "schema": ["type": "string"]] as Object])]),
            ] as Object,
            "/v1/auth/invites/consume": [
                "post": operation("consumeInvite", tag: "auth", summary: "Accept an invite: the invited user sets their password, then logs in (no session; limited like login; audited as `user.invite.consume`)",
                                  public: true, body: ref("InviteConsumeRequest"),
                                  problems: ["400", "403", "409", "413", "415", "422", "429", "502", "503", "504"],
                                  responses: ["204": emptyResponse("The password is set")]),
            ] as Object,
            "/v1/auth/password/lost": [
                "post": operation("lostPassword", tag: "auth", summary: "Ask Weavr to email a password-reset nonce; always 204, whether or not the email exists (no session; limited like login)",
                                  public: true, body: ref("LostPasswordRequest"),
                                  problems: ["400", "403", "413", "415", "422", "429", "502", "503", "504"],
                                  responses: ["204": emptyResponse("Accepted")]),
            ] as Object,
            "/v1/auth/password/reset": [
                "post": operation("resetPassword", tag: "auth", summary: "Set a new password with the emailed nonce (no session; limited like login; audited as `auth.password.reset`)",
                                  public: true, body: ref("ResetPasswordRequest"),
                                  problems: ["400", "403", "409", "413", "415", "422", "429", "502", "503", "504"],
                                  responses: ["204": emptyResponse("The password is set")]),
            ] as Object,
            "/v1/auth/password": [
                "post": operation("changePassword", tag: "auth", summary: "Change the session user's password (audited as `auth.password.change`; takes no Idempotency-Key)",
                                  body: ref("ChangePasswordRequest"), problems: mutationProblems,
                                  responses: ["204": emptyResponse("Changed")]),
            ] as Object,
            "/v1/auth/factors/sms": [
                "post": mutation("enrolSMS", tag: "auth", summary: "Enrol the user's mobile for SMS codes (needed before step-up); Weavr texts a code", body: nil,
                                 success: ["202": jsonResponse("Code sent", ref("FactorEnrolment"))]),
            ] as Object,
            "/v1/auth/factors/sms/verify": [
                "post": operation("verifySMSEnrolment", tag: "auth", summary: "Complete the SMS enrolment with the texted code (takes no Idempotency-Key)",
                                  body: ref("StepUpVerifyRequest"), problems: mutationProblems,
                                  responses: ["204": emptyResponse("Enrolled")]),
            ] as Object,
            "/v1/auth/logout": [
                "post": operation("logout", tag: "auth", summary: "End the session", problems: ["401", "403"],
                                  responses: ["204": emptyResponse("Logged out")]),
            ] as Object,
            "/v1/auth/step-up": [
                "post": operation("startStepUp", tag: "auth", summary: "Send a step-up challenge (SMS OTP); 409 `CHANNEL_NOT_REGISTERED` until the mobile is enrolled (`/v1/auth/factors/sms`)",
                                  problems: ["401", "403", "409", "429", "502", "503", "504"],
                                  responses: ["202": jsonResponse("Challenge sent", ref("StepUpChallenge"))]),
            ] as Object,
            "/v1/auth/step-up/verify": [
                "post": operation("verifyStepUp", tag: "auth", summary: "Verify the step-up code", body: ref("StepUpVerifyRequest"),
                                  problems: ["400", "401", "403", "413", "415", "422", "429", "502", "503", "504"],
                                  responses: ["200": jsonResponse("Stepped up", ref("Me"))]),
            ] as Object,
            "/v1/me": [
                "get": operation("getMe", tag: "auth", summary: "The current session", problems: ["401", "503"],
                                 responses: ["200": jsonResponse("The session", ref("Me"))]),
            ] as Object,
            "/v1/cards": [
                "get": operation("listCards", tag: "cards", summary: "List cards",
                                 parameters: pageParameters() + [
                                    queryParameter("state", stateList(), "Only cards in these states (repeat the parameter or separate with commas)"),
                                    queryParameter("type", enumSchema(["virtual", "physical"]), "Only cards of this type"),
                                    queryParameter("mode", enumSchema(["prepaid", "debit"]), "Only cards of this mode"),
                                    queryParameter("currency", ref("Currency"), "Only cards in this currency"),
                                    queryParameter("name", ["type": "string", "minLength": 1, "maxLength": 50], "Only cards with exactly this name"),
                                 ],
                                 problems: readProblems + ["422"],
                                 responses: ["200": jsonResponse("A page of cards", ref("CardPage"))]),
                "post": mutation("createCard", tag: "cards", summary: "Issue a card", body: ref("CreateCardRequest"),
                                 success: ["201": jsonResponse("The new card", ref("Card"),
                                                               headers: ["Location": ["description": "The card's URL", "schema": ["type": "string"]] as Object])]),
            ] as Object,
            "/v1/cards/{id}": [
                "parameters": [weavrID],
                "get": operation("getCard", tag: "cards", summary: "One card (its number and CVV only through POST /v1/cards/{id}/reveal)",
                                 problems: readProblems + ["404", "422"],
                                 responses: ["200": jsonResponse("The card", ref("Card"))]),
                "patch": mutation("updateCard", tag: "cards", summary: "Rename a card", body: ref("UpdateCardRequest"),
                                  success: ["200": jsonResponse("The updated card", ref("Card"))]),
                "delete": mutation("destroyCard", tag: "cards", summary: "Destroy a card (irreversible)", body: nil,
                                   success: ["204": emptyResponse("Destroyed")]),
            ] as Object,
            "/v1/cards/{id}/block": [
                "parameters": [weavrID],
                "post": mutation("blockCard", tag: "cards", summary: "Block a card", body: nil,
                                 success: ["200": jsonResponse("The blocked card", ref("Card"))]),
            ] as Object,
            "/v1/cards/{id}/unblock": [
                "parameters": [weavrID],
                "post": mutation("unblockCard", tag: "cards", summary: "Unblock a card blocked by a user", body: nil,
                                 success: ["200": jsonResponse("The active card", ref("Card"))]),
            ] as Object,
            "/v1/cards/{id}/limits": [
                "parameters": [weavrID],
                "get": operation("getCardLimits", tag: "limits", summary: "The card's limits (Weavr's card-level spend rules)",
                                 problems: readProblems + ["404", "422"], responses: ["200": jsonResponse("The limits", ref("Limits"))]),
                "put": mutation("replaceCardLimits", tag: "limits",
                                summary: "Replace the card's limits (members left out: no such rule). If Weavr refuses the new set, the old one is put back.",
                                body: ref("LimitsInput"), success: ["200": jsonResponse("The limits now", ref("Limits"))]),
                "patch": mutation("changeCardLimits", tag: "limits", summary: "Change only the members given",
                                  body: ["allOf": [ref("LimitsInput"), ["minProperties": 1] as Object]] as Object,
                                  success: ["200": jsonResponse("The limits now", ref("Limits"))]),
                "delete": mutation("removeCardLimits", tag: "limits", summary: "Remove the card's limits", body: nil,
                                   success: ["204": emptyResponse("Removed")]),
            ] as Object,
            "/v1/cards/{id}/physical": [
                "parameters": [weavrID],
                "post": mutation("upgradeCardToPhysical", tag: "physical", summary: "Order a physical card for this card, delivered to an address",
                                 body: ref("PhysicalUpgradeRequest"), success: ["200": jsonResponse("The card (`physical.activated: false`)", ref("Card"))]),
            ] as Object,
            "/v1/cards/{id}/physical/activate": [
                "parameters": [weavrID],
                "post": mutation("activatePhysicalCard", tag: "physical", summary: "Activate the delivered card with its activation code",
                                 body: ref("ActivationRequest"), success: ["200": jsonResponse("The card", ref("Card"))]),
            ] as Object,
            "/v1/cards/{id}/physical/report": [
                "parameters": [weavrID],
                "post": mutation("reportPhysicalCard", tag: "physical", summary: "Report the physical card lost (blocked at once) or stolen (destroyed at once); replace it with `/physical/replace`",
                                 body: ref("ReportRequest"), success: ["200": jsonResponse("The card", ref("Card"))]),
            ] as Object,
            "/v1/cards/{id}/physical/replace": [
                "parameters": [weavrID],
                "post": mutation("replacePhysicalCard", tag: "physical",
                                 summary: "Replace a damaged card (202, same card) or a lost or stolen one (201, a new card; the old one is destroyed)",
                                 body: ref("ReplaceRequest"),
                                 success: ["202": jsonResponse("A replacement is on its way", ref("Card")),
                                           "201": jsonResponse("The new card", ref("Card"),
                                                               headers: ["Location": ["description": "The new card's URL", "schema": ["type": "string"]] as Object])]),
            ] as Object,
            "/v1/cards/{id}/physical/pin/unblock": [
                "parameters": [weavrID],
                "post": mutation("unblockPhysicalCardPin", tag: "physical", summary: "Unblock a PIN blocked by wrong attempts", body: nil,
                                 success: ["204": emptyResponse("Unblocked")]),
            ] as Object,
            "/v1/cards/{id}/physical/pin": [
                "parameters": [weavrID],
                "post": operation("revealPhysicalCardPin", tag: "physical",
                                  summary: "The card's PIN as Weavr's token, for Weavr's Display Card PIN component (stepped-up sessions only; every call is audited; takes no Idempotency-Key)",
                                  problems: ["400", "401", "403", "404", "409", "429", "502", "503", "504"],
                                  responses: ["200": jsonResponse("The tokenised PIN", ref("PinToken"))]),
            ] as Object,
            "/v1/cards/{id}/reveal": [
                "parameters": [weavrID],
                "post": operation("revealCard", tag: "cards",
                                  summary: "The card's number and CVV as Weavr's tokens, with a separate short-lived Weavr user token for Weavr's Secure UI components (opt-in per tenant: quota cards.reveal; stepped-up sessions only; every call is audited; takes no Idempotency-Key)",
                                  problems: ["400", "401", "403", "404", "409", "429", "502", "503", "504"],
                                  responses: ["201": jsonResponse("The tokenised card details and the reveal session", ref("CardReveal"))]),
            ] as Object,
            "/v1/accounts": [
                "get": operation("listAccounts", tag: "accounts", summary: "List managed accounts",
                                 parameters: pageParameters() + [
                                    queryParameter("state", stateList(), "Only accounts in these states (repeat the parameter or separate with commas)"),
                                    queryParameter("currency", ref("Currency"), "Only accounts in this currency"),
                                 ],
                                 problems: readProblems + ["422"],
                                 responses: ["200": jsonResponse("A page of accounts", ref("AccountPage"))]),
            ] as Object,
            "/v1/accounts/{id}": [
                "parameters": [weavrID],
                "get": operation("getAccount", tag: "accounts", summary: "One account", problems: readProblems + ["404"],
                                 responses: ["200": jsonResponse("The account", ref("Account"))]),
            ] as Object,
            "/v1/accounts/{id}/iban": [
                "parameters": [weavrID],
                "get": operation("getAccountIBAN", tag: "accounts", summary: "The account's IBAN: the bank details to receive money on it", problems: readProblems + ["404"],
                                 responses: ["200": jsonResponse("The IBAN (`unallocated` with no details before an upgrade)", ref("AccountIBAN"))]),
                "post": mutation("upgradeAccountIBAN", tag: "accounts", summary: "Give the account an IBAN (audited with the account id and the state, never the IBAN)", body: nil,
                                 success: ["200": jsonResponse("The IBAN, `allocated` or `pending`", ref("AccountIBAN"))]),
            ] as Object,
            "/v1/transfers": [
                "get": operation("listTransfers", tag: "transfers", summary: "List the identity's transfers, newest first",
                                 parameters: pageParameters() + [
                                    queryParameter("state", ["type": "array", "items": enumSchema(TransferView.states), "minItems": 1] as Object,
                                                   "Only transfers in these states (repeat the parameter or separate with commas)"),
                                 ],
                                 problems: readProblems + ["422"],
                                 responses: ["200": jsonResponse("A page of transfers", ref("TransferPage"))]),
                "post": mutation("createTransfer", tag: "transfers",
                                 summary: "Move money between two of the identity's own instruments (account → card, card → account, card → card). "
                                    + "Counts against the daily `transfers.create` quota and, when the tenant sets one, `money.<CUR>` (minor units). "
                                    + "Weavr's refusals are 409 `conflict` with `upstreamCode` (FUNDS_INSUFFICIENT, CURRENCY_MISMATCH, "
                                    + "SOURCE_INSTRUMENT_BLOCKED, …); 403 when the tenant has no transfer profile.",
                                 body: ref("CreateTransferRequest"),
                                 success: ["201": jsonResponse("The transfer", ref("Transfer"),
                                                               headers: ["Location": ["description": "The transfer's URL", "schema": ["type": "string"]] as Object])]),
            ] as Object,
            "/v1/transfers/{id}": [
                "parameters": [weavrID],
                "get": operation("getTransfer", tag: "transfers", summary: "One transfer", problems: readProblems + ["404", "422"],
                                 responses: ["200": jsonResponse("The transfer", ref("Transfer"))]),
            ] as Object,
            "/v1/cards/{id}/transactions": [
                "parameters": [weavrID],
                "get": transactionList("listCardTransactions", "A card's transactions (authorisations held, settled payments, transfers), newest first"),
            ] as Object,
            "/v1/accounts/{id}/transactions": [
                "parameters": [weavrID],
                "get": transactionList("listAccountTransactions", "An account's transactions, newest first"),
            ] as Object,
            "/v1/cards/{id}/statement": [
                "parameters": [weavrID],
                "get": statement("getCardStatement", "A card's statement: posted entries with running balances, as JSON, CSV or PDF"),
            ] as Object,
            "/v1/accounts/{id}/statement": [
                "parameters": [weavrID],
                "get": statement("getAccountStatement", "An account's statement: posted entries with running balances, as JSON, CSV or PDF"),
            ] as Object,
            "/v1/users": [
                "get": operation("listUsers", tag: "users", summary: "List the identity's users",
                                 parameters: pageParameters(),
                                 problems: readProblems + ["422"],
                                 responses: ["200": jsonResponse("A page of users", ref("UserPage"))]),
                "post": mutation("createUser", tag: "users", summary: "Create an authorised user (requires step-up)", body: ref("CreateUserRequest"),
                                 success: ["201": jsonResponse("The new user", ref("User"),
                                                               headers: ["Location": ["description": "The user's URL", "schema": ["type": "string"]] as Object])]),
            ] as Object,
            "/v1/users/{id}": [
                "parameters": [weavrID],
                "patch": mutation("updateUser", tag: "users", summary: "Change a user's name, surname, email, mobile or date of birth (only the members given change; audited as `user.update` with the names of the fields changed)",
                                  body: ref("UpdateUserRequest"), success: ["200": jsonResponse("The user as it is now", ref("User"))]),
            ] as Object,
            "/v1/users/{id}/activate": [
                "parameters": [weavrID],
                "post": mutation("activateUser", tag: "users", summary: "Let a deactivated user log in again (audited as `user.activate`)", body: nil,
                                 success: ["200": jsonResponse("The user as it is now", ref("User"))]),
            ] as Object,
            "/v1/users/{id}/deactivate": [
                "parameters": [weavrID],
                "post": mutation("deactivateUser", tag: "users", summary: "Stop a user logging in; their Weavr sessions end (audited as `user.deactivate`; not yourself)", body: nil,
                                 success: ["200": jsonResponse("The user as it is now", ref("User"))]),
            ] as Object,
            "/v1/users/{id}/invite": [
                "parameters": [weavrID],
                "post": mutation("inviteUser", tag: "users", summary: "Send the user an invitation", body: nil,
                                 success: ["204": emptyResponse("Invitation sent")]),
            ] as Object,
            "/v1/bulk/cards/block": [
                "post": mutation("bulkBlockCards", tag: "bulk", summary: "Block many cards", body: ref("BulkBlockCardsRequest"),
                                 success: ["202": bulkSubmitted]),
            ] as Object,
            "/v1/bulk/users": [
                "post": mutation("bulkCreateUsers", tag: "bulk", summary: "Create many users (requires step-up)", body: ref("BulkCreateUsersRequest"),
                                 success: ["202": bulkSubmitted]),
            ] as Object,
            "/v1/bulk/users/invites": [
                "post": mutation("bulkInviteUsers", tag: "bulk", summary: "Invite many users", body: ref("BulkInviteUsersRequest"),
                                 success: ["202": bulkSubmitted]),
            ] as Object,
            "/v1/bulk/{id}": [
                "parameters": [bulkID],
                "get": operation("getBulk", tag: "bulk", summary: "A bulk process and its progress", problems: readProblems + ["404"],
                                 responses: ["200": jsonResponse("The bulk process", ref("Bulk"))]),
            ] as Object,
            "/v1/bulk/{id}/operations": [
                "parameters": [bulkID],
                "get": operation("listBulkOperations", tag: "bulk", summary: "The operations of a bulk process",
                                 parameters: pageParameters() + [
                                    queryParameter("status", ref("BulkOperationStatus"), "Only operations in this status"),
                                 ],
                                 problems: readProblems + ["404", "422"],
                                 responses: ["200": jsonResponse("A page of operations", ref("BulkOperationPage"))]),
            ] as Object,
            "/v1/bulk/{id}/pause": bulkControl("pauseBulk", "Pause a running bulk process", bulkID),
            "/v1/bulk/{id}/resume": bulkControl("resumeBulk", "Resume a paused bulk process", bulkID),
            "/v1/bulk/{id}/cancel": bulkControl("cancelBulk", "Cancel the remaining operations", bulkID),
        ]
    }

    static func transactionList(_ operationID: String, _ summary: String) -> Object {
        operation(operationID, tag: "transactions", summary: summary,
                  parameters: pageParameters() + [
                    queryParameter("type", ["type": "array", "items": enumSchema(TransactionInput.types.map(\.public)), "minItems": 1] as Object,
                                   "Only these types (repeat the parameter or separate with commas)"),
                    queryParameter("status", ["type": "array", "items": enumSchema(TransactionInput.statuses), "minItems": 1] as Object,
                                   "Only these statuses"),
                    queryParameter("direction", enumSchema(["credit", "debit"]), "Only money in (`credit`) or out (`debit`)"),
                    queryParameter("from", ["type": "string", "format": "date-time"], "Created at or after this UTC time (`2026-12-01T00:00:00Z`)"),
                    queryParameter("to", ["type": "string", "format": "date-time"], "Created at or before this UTC time"),
                  ],
                  problems: readProblems + ["404", "422"],
                  responses: ["200": jsonResponse("A page of transactions", ref("TransactionPage"))])
    }

    static func statement(_ operationID: String, _ summary: String) -> Object {
        let file: (String, String) -> Object = { type, description in
            ["schema": ["type": "string", "description": description] as Object] as Object
        }
        var response = jsonResponse("The statement: JSON by default; with `Accept: text/csv` or `application/pdf`, Weavr's file streamed through (chunked)", ref("Statement"),
                                    headers: ["Content-Disposition": ["description": "CSV and PDF only: `attachment; filename=\"card-<id>-statement.csv\"`", "schema": ["type": "string"]] as Object])
        var content = response["content"] as? Object ?? [:]
        content["text/csv"] = file("text/csv", "Weavr's CSV statement")
        content["application/pdf"] = file("application/pdf", "Weavr's PDF statement")
        response["content"] = content
        return operation(operationID, tag: "transactions", summary: summary,
                         parameters: [
                            ["name": "Accept", "in": "header", "required": false,
                             "description": "`application/json` (default), `text/csv` or `application/pdf`; anything else that excludes all three is 406",
                             "schema": ["type": "string"]] as Object,
                            queryParameter("limit", ["type": "integer", "minimum": 1, "maximum": 500, "default": 100] as Object, "Entries per page (1–500, default 100)"),
                            ["$ref": "#/components/parameters/Cursor"],
                            queryParameter("type", ["type": "array", "items": enumSchema(TransactionInput.types.map(\.public)), "minItems": 1] as Object,
                                           "Only entries of these types (repeat the parameter or separate with commas)"),
                            queryParameter("from", ["type": "string", "format": "date-time"], "Posted at or after this UTC time (`2026-12-01T00:00:00Z`)"),
                            queryParameter("to", ["type": "string", "format": "date-time"], "Posted at or before this UTC time"),
                            queryParameter("order", enumSchema(["asc", "desc"]), "Oldest first (`asc`, the default) or newest first"),
                         ],
                         problems: readProblems + ["404", "406", "422"],
                         responses: ["200": response])
    }

    static let readProblems = ["400", "401", "403", "429", "502", "503", "504"]
    static let mutationProblems = ["400", "401", "403", "404", "409", "413", "415", "422", "429", "502", "503", "504"]

    static func bulkControl(_ operationID: String, _ summary: String, _ id: Object) -> Object {
        [
            "parameters": [id],
            "post": mutation(operationID, tag: "bulk", summary: summary, body: nil,
                             success: ["200": jsonResponse("The bulk process", ref("Bulk"))]),
        ]
    }

    /// A POST, PATCH or DELETE: `Idempotency-Key`, replay header on success, the mutation problems.
    static func mutation(_ operationID: String, tag: String, summary: String, body: Object?, success: Object) -> Object {
        var responses = success
        for (status, response) in success {
            guard var response = response as? Object else { continue }
            var headers = response["headers"] as? Object ?? [:]
            headers["Idempotent-Replayed"] = ["$ref": "#/components/headers/Idempotent-Replayed"]
            response["headers"] = headers
            responses[status] = response
        }
        return operation(operationID, tag: tag, summary: summary, parameters: [["$ref": "#/components/parameters/IdempotencyKey"]],
                         body: body, problems: mutationProblems, responses: responses)
    }

    static func operation(
        _ operationID: String, tag: String, summary: String, public isPublic: Bool = false, parameters: [Object] = [],
        body: Object? = nil, problems: [String], responses: Object
    ) -> Object {
        var operation: Object = ["operationId": operationID, "tags": [tag], "summary": summary]
        operation["parameters"] = [["$ref": "#/components/parameters/RequestId"] as Object] + parameters
        if let body {
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]] as Object
        }
        var all = responses
        for (status, response) in all {
            guard var response = response as? Object else { continue }
            var headers = response["headers"] as? Object ?? [:]
            headers["X-Request-Id"] = ["$ref": "#/components/headers/X-Request-Id"]
            response["headers"] = headers
            all[status] = response
        }
        for status in problems { all[status] = ["$ref": "#/components/responses/Problem\(status)"] }
        all["default"] = ["$ref": "#/components/responses/ProblemDefault"]
        operation["responses"] = all
        if isPublic { operation["security"] = [Object]() }
        return operation
    }

    static func ref(_ schema: String) -> Object { ["$ref": "#/components/schemas/\(schema)"] }

    static func enumSchema(_ values: [String]) -> Object { ["type": "string", "enum": values] }

    static func pathParameter(_ name: String, pattern: String) -> Object {
        ["name": name, "in": "path", "required": true, "schema": ["type": "string", "pattern": pattern] as Object]
    }

    static func queryParameter(_ name: String, _ schema: Object, _ description: String) -> Object {
        ["name": name, "in": "query", "required": false, "schema": schema, "description": description]
    }

    /// A repeatable instrument-state filter (`state=active&state=blocked` or `state=active,blocked`).
    static func stateList() -> Object {
        ["type": "array", "items": ref("InstrumentState"), "minItems": 1]
    }

    static func pageParameters() -> [Object] {
        [["$ref": "#/components/parameters/Limit"], ["$ref": "#/components/parameters/Cursor"]]
    }

    static func jsonResponse(_ description: String, _ schema: Object, headers: Object = [:]) -> Object {
        var response: Object = ["description": description, "content": ["application/json": ["schema": schema]] as Object]
        if !headers.isEmpty { response["headers"] = headers }
        return response
    }

    static func emptyResponse(_ description: String) -> Object {
        ["description": description]
    }
}
