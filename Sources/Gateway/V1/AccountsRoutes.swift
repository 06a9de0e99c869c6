import NIOFreeHTTP
import Upstream

/// The `/v1` accounts routes: `GET /v1/accounts` (filters `currency`, `state`; `limit`, `cursor`) and
/// `GET /v1/accounts/{id}`, in the flat account shape; an account's IBAN, the bank details to pay into it:
/// `GET /v1/accounts/{id}/iban` and `POST /v1/accounts/{id}/iban` (upgrade, audited as `account.iban.upgrade`
/// with the account id and the IBAN's state — never the IBAN itself).
struct AccountsRoutes: Sendable {
    let v1: V1Router

    /// Weavr pages read per list request while filtering (at most 100 accounts each).
    static let maxPagesPerRequest = 5

    func register(on routes: inout V1Routes) {
        routes.query("/accounts") { call in try await list(call) }
        routes.query("/accounts/{id}") { call in try await get(call) }
        routes.query("/accounts/{id}/iban") { call in try await iban(call) }
        routes.mutation("POST", "/accounts/{id}/iban", bodyLimit: 1024, audit: AuditStep(action: .accountIBANUpgrade, targetParameter: "id")) { call in
            try await upgradeIBAN(call)
        }
    }

    /// `GET /v1/accounts` → `{accounts, nextCursor}`.
    ///
    /// The typed Weavr client sends no filters on `GET /managed_accounts`, so `currency` and `state` are
    /// applied here: Weavr is read from the cursor's offset in pages of 100 until `limit` accounts match,
    /// Weavr has no more, or `maxPagesPerRequest` pages were read. The cursor then holds the Weavr offset
    /// after the last account looked at, so a filtered page may hold fewer than `limit` accounts (even
    /// none) while `nextCursor` is still set; follow it until it is null.
    func list(_ call: V1Call) async throws -> HTTPResponse {
        var query = try ListQuery(call.request, allowed: ["currency", "state", "limit", "cursor"])
        let currency = query.currency()
        let states = query.choices("state", CardsRoutes.states)
        let limit = query.limit()
        let filters = "currency=" + (currency ?? "") + "&state=" + states.sorted().joined(separator: ",")
        let offset = query.cursorOffset(list: "accounts", filters: filters)
        try query.validate()

        let weavrStates = Set(states.map { $0.uppercased() })
        func matches(_ account: ManagedAccount) -> Bool {
            (currency == nil || account.currency == currency) && (weavrStates.isEmpty || weavrStates.contains(account.state.state))
        }
        let filtered = currency != nil || !weavrStates.isEmpty
        var found: [ManagedAccount] = []
        var position = offset
        var more = false
        var pages = 0
        scan: while true {
            // Unfiltered, Weavr's page is the answer; filtered, read full pages and keep what matches.
            let page = try await call.weavr.listAccounts(
                offset: position == 0 ? nil : position, limit: filtered ? 100 : limit
            ).value
            pages += 1
            for account in page.items {
                position += 1
                if matches(account) { found.append(account) }
                if found.count == limit {
                    more = position < page.count
                    break scan
                }
            }
            guard !page.items.isEmpty, position < page.count else { break }
            if !filtered || pages == Self.maxPagesPerRequest {
                more = true
                break
            }
        }

        var json = JSONWriter()
        json.beginObject()
        json.key("accounts")
        json.beginArray()
        for account in found { AccountView.write(account, into: &json) }
        json.endArray()
        json.field("nextCursor", more ? PageCursor(list: "accounts", filters: filters, offset: position).encoded : nil)
        json.endObject()
        return CardsRoutes.json(200, json.bytes)
    }

    /// `GET /v1/accounts/{id}` (non-digit ids are 404 without asking Weavr).
    func get(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        try ListQuery(call.request, allowed: []).validate()
        let account = try await call.weavr.getAccount(id).value
        var json = JSONWriter()
        AccountView.write(account, into: &json)
        return CardsRoutes.json(200, json.bytes)
    }

    /// `GET /v1/accounts/{id}/iban` → `{state, details}` (`unallocated` with no details before an upgrade).
    func iban(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        try ListQuery(call.request, allowed: []).validate()
        let iban = try await call.weavr.getAccountIBAN(id).value
        return CardsRoutes.json(200, IBANView.body(iban))
    }

    /// `POST /v1/accounts/{id}/iban` (no body) → 200 `{state, details}`: `allocated`, or `pending` while Weavr
    /// allocates (read it again later); 409 `conflict` (`INSTRUMENT_ALREADY_UPGRADED_TO_IBAN`, …) from Weavr.
    func upgradeIBAN(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        return try await call.audited {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.upgradeAccountIBAN(id) }
            return AuditedOutcome(
                response: CardsRoutes.json(200, IBANView.body(result.value)), upstreamStatus: result.status, upstreamRequestRef: result.requestRef,
                details: ["state": .string(IBANView.state(result.value.state))]
            )
        }
    }
}
