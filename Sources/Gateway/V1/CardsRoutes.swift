import Audit
import NIOFreeHTTP
import Upstream

/// The `/v1` cards routes (docs/ARCHITECTURE.md "The public API"): flat card JSON, the tenant's card profiles applied
/// server-side, Weavr offsets behind an opaque cursor, Weavr errors mapped to problems.
///
/// Card data is private: every answer carries `cache-control: no-store`.
///
/// Mutations are audited and (except PATCH) count against the tenant's daily quota through
/// `AuditTrail.mutation`: quota, intent row, Weavr, outcome row, then the answer. Reads write no rows.
struct CardsRoutes: Sendable {
    let v1: V1Router
    var audit: AuditTrail { v1.audit }

    /// The card states a client can filter on (Weavr's `ManagedInstrumentState.state`, lower-case).
    static let states = ["active", "blocked", "destroyed", "not_enabled"]
    /// The query parameters of `GET /v1/cards`; any other is 422 `validation_failed`.
    static let listParameters = ["state", "type", "mode", "currency", "name", "limit", "cursor"]

    /// The route table: each mutation declares its audited action, its daily quota and its target.
    func register(on routes: inout V1Routes) {
        routes.query("/cards") { call in try await list(call) }
        routes.mutation("POST", "/cards", bodyLimit: 16 * 1024, audit: AuditStep(action: .cardIssue, quota: .cardsIssue)) { call in try await create(call) }
        routes.query("/cards/{id}") { call in try await get(call) }
        routes.mutation("PATCH", "/cards/{id}", bodyLimit: 16 * 1024, audit: AuditStep(action: .cardUpdate, targetParameter: "id")) { call in try await patch(call) }
        routes.mutation("POST", "/cards/{id}/block", bodyLimit: 1024, audit: AuditStep(action: .cardBlock, quota: .cardsBlock, targetParameter: "id")) { call in try await block(call) }
        routes.mutation("POST", "/cards/{id}/unblock", bodyLimit: 1024, audit: AuditStep(action: .cardUnblock, quota: .cardsUnblock, targetParameter: "id")) { call in try await unblock(call) }
        routes.mutation("DELETE", "/cards/{id}", bodyLimit: 1024, audit: AuditStep(action: .cardDestroy, quota: .cardsDestroy, targetParameter: "id")) { call in try await destroy(call) }
    }

    // MARK: list

    /// `GET /v1/cards?state=&type=&mode=&currency=&name=&limit=&cursor=` → `{cards, nextCursor}`.
    func list(_ call: V1Call) async throws -> HTTPResponse {
        var query = try ListQuery(call.request, allowed: Self.listParameters)
        let (filter, filters) = CardInput.listFilter(&query, states: Self.states)
        let limit = query.limit()
        let offset = query.cursorOffset(list: "cards", filters: filters)
        try query.validate()

        let page = try await call.weavr.listCards(filter: filter, offset: offset == 0 ? nil : offset, limit: limit).value
        await remember(call, page.items.map(\.id))
        var json = JSONWriter()
        json.beginObject()
        json.key("cards")
        json.beginArray()
        for card in page.items { CardView.write(card, into: &json) }
        json.endArray()
        let next = offset + page.items.count
        let more = !page.items.isEmpty && next < page.count
        json.field("nextCursor", more ? PageCursor(list: "cards", filters: filters, offset: next).encoded : nil)
        json.endObject()
        return Self.json(200, json.bytes)
    }

    // MARK: create

    /// `POST /v1/cards` → 201 with the card and `Location`.
    func create(_ call: V1Call) async throws -> HTTPResponse {
        let body = try CardInput.create(call.request, profiles: call.auth.tenant.cardProfiles)
        return try await call.audited(details: ["profile_id": .string(body.profileId)]) {
            let result = try await Self.upstream { () async throws(WeavrError) in try await call.weavr.createCard(body) }
            await remember(call, [result.value.id])
            return AuditedOutcome(
                response: Self.json(201, CardView.body(result.value), location: "/v1/cards/" + result.value.id),
                upstreamStatus: result.status, upstreamRequestRef: result.requestRef, target: result.value.id
            )
        }
    }

    /// Notes the session's identity as the owner of `cards` (`CardOwners`: Weavr's card webhooks that name no
    /// owner reach this identity's `/v1/events` streams). A card already known costs one set lookup.
    func remember(_ call: V1Call, _ cards: [String]) async {
        let identity = call.auth.session.identity
        await v1.cardOwners.remember(tenantID: call.auth.tenant.id, identityType: identity.type, identityID: identity.id, cardIDs: cards)
    }

    /// `remember` for one card, without a list.
    func remember(_ call: V1Call, card: String) async {
        let identity = call.auth.session.identity
        await v1.cardOwners.remember(tenantID: call.auth.tenant.id, identityType: identity.type, identityID: identity.id, cardID: card)
    }

    // MARK: one card

    /// `GET /v1/cards/{id}`: the card without its number and CVV, which only `POST /v1/cards/{id}/reveal`
    /// (`RevealRoutes`) hands out, as Weavr's tokens. Any query parameter is 422.
    func get(_ call: V1Call) async throws -> HTTPResponse {
        let id = try Self.pathID(call)
        let query = try ListQuery(call.request, allowed: [])
        try query.validate()
        // The result is read in place (`.value` copied out would retain and release each of the card's strings).
        let result = try await call.weavr.getCard(id)
        await remember(call, card: result.value.id)
        return Self.json(200, CardView.body(result.value))
    }

    /// `PATCH /v1/cards/{id}`: `name`, `nameOnCard`, `billingAddress` (at least one) → 200 with the card.
    func patch(_ call: V1Call) async throws -> HTTPResponse {
        let id = try Self.pathID(call)
        let body = try CardInput.patch(call.request)
        return try await call.audited {
            let result = try await Self.upstream { () async throws(WeavrError) in try await call.weavr.patchCard(id, body) }
            return AuditedOutcome(response: Self.json(200, CardView.body(result.value)), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `POST /v1/cards/{id}/block` → 200 with the card as it is now (`state: blocked`).
    func block(_ call: V1Call) async throws -> HTTPResponse {
        let id = try Self.pathID(call)
        return try await call.audited {
            let before = try await call.weavr.getCard(id).value
            let result = try await call.weavr.blockCard(id)
            // Weavr: ACTIVE → BLOCKED(USER).
            let after = ManagedInstrumentState(state: "BLOCKED", blockedReason: "USER")
            return AuditedOutcome(response: await Self.fresh(call, before: before, after: after), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `POST /v1/cards/{id}/unblock` → 200 with the card as it is now. Only a user's own block can be lifted:
    /// a system block is 403 `forbidden`.
    func unblock(_ call: V1Call) async throws -> HTTPResponse {
        let id = try Self.pathID(call)
        return try await call.audited {
            let before = try await call.weavr.getCard(id).value
            let result = try await call.weavr.unblockCard(id)
            // Weavr: BLOCKED(USER) → ACTIVE.
            let after = ManagedInstrumentState(state: "ACTIVE")
            return AuditedOutcome(response: await Self.fresh(call, before: before, after: after), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `DELETE /v1/cards/{id}`: Weavr's remove (destroy; not reversible; a prepaid card must be empty) → 204.
    /// Weavr declares no `idempotency-ref` on remove, so none is forwarded.
    func destroy(_ call: V1Call) async throws -> HTTPResponse {
        let id = try Self.pathID(call)
        return try await call.audited {
            let result = try await call.weavr.removeCard(id)
            return AuditedOutcome(response: HTTPResponse(status: 204, headers: ["cache-control": "no-store"]), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// After a block or unblock (Weavr answers 204): 200 with the card re-read, so the client sees the new state
    /// in one round trip. The action has already happened, so an error (which would invite a retry Weavr refuses
    /// with a 409) is never the answer: if the re-read fails, the card read just before the action is answered
    /// with the state the action is documented to leave (`after`). Either way the answer is 200 with the card.
    static func fresh(_ call: V1Call, before: ManagedCard, after: ManagedInstrumentState) async -> HTTPResponse {
        if let card = try? await call.weavr.getCard(before.id).value {
            return json(200, CardView.body(card))
        }
        var card = before
        card.state = after
        return json(200, CardView.body(card))
    }

    // MARK: helpers

    /// A Weavr card mutation with its 400 mapped to public names (`UpstreamFieldNames`); every failure keeps
    /// Weavr's status and `request-ref` for the audit row (`UpstreamFailure`).
    static func upstream<Value>(_ body: () async throws(WeavrError) -> Value) async throws(UpstreamFailure) -> Value {
        do {
            return try await body()
        } catch {
            if case .badRequest(let fields) = error.kind { throw UpstreamFailure(problem: UpstreamFieldNames.problem(fields), weavr: error) }
            throw UpstreamFailure(error)
        }
    }

    /// The `{id}` path parameter of a card or account: Weavr ids are digits (`^[0-9]+$`); anything else is 404 without asking Weavr.
    static func pathID(_ call: V1Call) throws(Problem) -> String {
        guard let id = call.request.pathParameters["id"], isWeavrID(id) else { throw Problem(.notFound) }
        return id
    }

    /// 1–32 ASCII digits.
    static func isWeavrID(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func json(_ status: Int, _ body: [UInt8], location: String? = nil) -> HTTPResponse {
        var headers: HTTPHeaders = ["cache-control": "no-store"]
        if let location { headers.add("location", location) }
        return .json(status, body, headers: headers)
    }
}
