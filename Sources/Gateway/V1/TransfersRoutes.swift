import Audit
import NIOFreeHTTP
import Upstream

/// The `/v1` money routes: transfers between the user's own instruments (`POST /v1/transfers`, list, one)
/// and the history of a card or an account (`GET /v1/cards/{id}/transactions`,
/// `GET /v1/accounts/{id}/transactions`).
///
/// A transfer is an audited mutation (`transfer.create`: amount, currency, source, destination) that counts
/// against two daily quotas: `transfers.create` (one per transfer) and, when the tenant sets one,
/// `money.<CUR>` (the minor units moved). Both are taken before Weavr is asked and given back when Weavr
/// refuses (4xx), so concurrent transfers never move more than the limit.
struct TransfersRoutes: Sendable {
    let v1: V1Router

    func register(on routes: inout V1Routes) {
        routes.query("/transfers") { call in try await list(call) }
        routes.mutation("POST", "/transfers", bodyLimit: 8 * 1024, audit: AuditStep(action: .transferCreate, quota: .transfersCreate)) { call in
            try await create(call)
        }
        routes.query("/transfers/{id}") { call in try await get(call) }
        routes.query("/cards/{id}/transactions") { call in try await transactions(call, kind: .managedCards) }
        routes.query("/accounts/{id}/transactions") { call in try await transactions(call, kind: .managedAccounts) }
    }

    /// `POST /v1/transfers` → 201 with the transfer and `Location`.
    func create(_ call: V1Call) async throws -> HTTPResponse {
        let body = try TransferInput.create(call.request, tenant: call.auth.tenant)
        let amount = body.destinationAmount
        let charges = QuotaOperation.money(amount.currency).map { [QuotaCharge(operation: $0, units: Int(amount.amount))] } ?? []
        let details: [String: AuditDetails.Value] = [
            "amount": .integer(amount.amount), "currency": .string(amount.currency),
            "source": .string(TransferInput.auditName(body.source)), "destination": .string(TransferInput.auditName(body.destination)),
        ]
        return try await call.audited(charges: charges, details: details) {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.createTransfer(body) }
            return AuditedOutcome(
                response: CardsRoutes.json(201, TransferView.body(result.value), location: "/v1/transfers/" + result.value.id),
                upstreamStatus: result.status, upstreamRequestRef: result.requestRef, target: "transfer:" + result.value.id,
                details: ["state": .string(TransferView.state(result.value.state))]
            )
        }
    }

    /// `GET /v1/transfers?state=&limit=&cursor=` → `{transfers, nextCursor}`, newest first.
    func list(_ call: V1Call) async throws -> HTTPResponse {
        var query = try ListQuery(call.request, allowed: ["state", "limit", "cursor"])
        let states = query.choices("state", TransferView.states)
        let limit = query.limit()
        let filters = "state=" + states.sorted().joined(separator: ",")
        let offset = query.cursorOffset(list: "transfers", filters: filters)
        try query.validate()
        let page = try await call.weavr.listTransfers(states: states.map { $0.uppercased() }, offset: offset == 0 ? nil : offset, limit: limit).value
        var json = JSONWriter()
        json.beginObject()
        json.key("transfers")
        json.beginArray()
        for transfer in page.items { TransferView.write(transfer, into: &json) }
        json.endArray()
        let next = offset + page.items.count
        json.field("nextCursor", !page.items.isEmpty && next < page.count ? PageCursor(list: "transfers", filters: filters, offset: next).encoded : nil)
        json.endObject()
        return CardsRoutes.json(200, json.bytes)
    }

    /// `GET /v1/transfers/{id}`.
    func get(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        try ListQuery(call.request, allowed: []).validate()
        let transfer = try await call.weavr.getTransfer(id).value
        return CardsRoutes.json(200, TransferView.body(transfer))
    }

    /// `GET /v1/{cards|accounts}/{id}/transactions?type=&status=&direction=&from=&to=&limit=&cursor=` →
    /// `{transactions, nextCursor}`, newest first.
    func transactions(_ call: V1Call, kind: InstrumentRef.Kind) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        var query = try ListQuery(call.request, allowed: TransactionInput.parameters)
        let (filter, filters) = TransactionInput.filter(&query)
        let limit = query.limit()
        let list = TransferInput.publicKind(kind) + "-transactions:" + id
        let offset = query.cursorOffset(list: list, filters: filters)
        try query.validate()
        let page = try await call.weavr.transactions(
            of: InstrumentRef(id: id, type: kind), filter: filter, offset: offset == 0 ? nil : offset, limit: limit
        ).value
        var json = JSONWriter()
        json.beginObject()
        json.key("transactions")
        json.beginArray()
        for item in page.items { TransactionView.write(item, into: &json) }
        json.endArray()
        let next = offset + page.items.count
        json.field("nextCursor", !page.items.isEmpty && next < page.count ? PageCursor(list: list, filters: filters, offset: next).encoded : nil)
        json.endObject()
        return CardsRoutes.json(200, json.bytes)
    }
}
