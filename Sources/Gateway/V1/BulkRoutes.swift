import Audit
import NIOFreeHTTP
import Upstream

/// The `/v1` bulk routes. A submit sends the items to Weavr (with the call's `idempotency-ref`) and starts
/// the process in the same call; the rest reads and steers a process. Frontends never see Weavr's bulk
/// paths (`_id_`), `pathParams`, offsets or per-operation payloads.
///
/// - `POST /v1/bulk/cards/block` `{cardIds: [id] (1…10,000), onFailure?}` → 202 `{id, status, operationCount}`
/// - `POST /v1/bulk/users` `{users: [{name, surname, email, mobile?, roles?}] (1…10,000), onFailure?}` → 202
///   (a stepped-up session, as for `POST /v1/users`: a bulk is no way around step-up)
/// - `POST /v1/bulk/users/invites` `{userIds: [id] (1…10,000), onFailure?}` → 202
/// - `GET /v1/bulk/{id}` → 200 bulk; `GET /v1/bulk/{id}/operations?limit&cursor&status` → 200
///   `{operations: [{sequence, target, status, error? {code}}], nextCursor}`
/// - `POST /v1/bulk/{id}/pause|resume|cancel` → 200 with the bulk re-read; an invalid transition is 409
///   `conflict` with `upstreamCode: INVALID_STATE`.
///
/// Audit: a submit counts its items against the tenant's daily `bulk.operations` quota (all or nothing) and
/// writes a `bulk.submit` intent (details: kind, count) together with one `bulk.operation` intent per card or
/// user id (target the id; bounded by Weavr's 10,000 items), then the `bulk.submit` outcome (target the bulk id)
/// — `AuditTrail.mutation`. Ids go in `target`, not in details: 18-digit Weavr ids can pass the card-number
/// check of `AuditDetails`. When the process is final, the first read that sees it so writes one
/// `bulk.operation` outcome row per operation, exactly once (`AuditLog.appendOnce`, key
/// `bulk:<tenant>:<id>`).
struct BulkRoutes: Sendable {
    let v1: V1Router
    var audit: AuditTrail { v1.audit }

    /// 10,000 ids of up to 32 digits with quotes and commas fit, with room to spare.
    static let idListBodyLimit = 400 * 1024
    /// The server's own body cap: 10,000 users of ~100 bytes each.
    static let usersBodyLimit = 1024 * 1024

    /// The route table: a submit counts each operation against the daily `bulk.operations` quota.
    func register(on routes: inout V1Routes) {
        let submit = AuditStep(action: .bulkSubmit, quota: .bulkOperations)
        routes.mutation("POST", "/bulk/cards/block", bodyLimit: BulkRoutes.idListBodyLimit, audit: submit) { call in try await blockCards(call) }
        routes.mutation("POST", "/bulk/users", bodyLimit: BulkRoutes.usersBodyLimit, audit: submit) { call in try await createUsers(call) }
        routes.mutation("POST", "/bulk/users/invites", bodyLimit: BulkRoutes.idListBodyLimit, audit: submit) { call in try await inviteUsers(call) }
        routes.query("/bulk/{id}") { call in try await get(call) }
        routes.query("/bulk/{id}/operations") { call in try await operations(call) }
        for action in ["pause", "resume", "cancel"] {
            routes.mutation("POST", "/bulk/{id}/\(action)", bodyLimit: 1024) { call in try await transition(action, call) }
        }
    }

    // MARK: submit

    func blockCards(_ call: V1Call) async throws -> HTTPResponse {
        var reader = try FieldReader(request: call.request)
        let ids = BulkSubmission.ids(&reader, "cardIds")
        let mode = BulkSubmission.mode(&reader)
        try reader.validate()
        guard let ids else { throw Problem(.validationFailed) }
        return try await submitAndExecute(call, mode: mode, listName: "cardIds", kind: "card_block", ids: ids, count: ids.count) { () async throws(WeavrError) -> BulkSubmitResponse in
            try await call.weavr.submitCardBlockBulk(ids).value
        }
    }

    func createUsers(_ call: V1Call) async throws -> HTTPResponse {
        guard call.auth.session.isSteppedUp else {
            throw Problem(.stepUpRequired, detail: "verify a step-up challenge first")
        }
        var reader = try FieldReader(request: call.request)
        let users = BulkSubmission.users(&reader)
        let mode = BulkSubmission.mode(&reader)
        try reader.validate()
        guard let users else { throw Problem(.validationFailed) }
        return try await submitAndExecute(call, mode: mode, listName: "users", kind: "user_create", ids: [], count: users.count) { () async throws(WeavrError) -> BulkSubmitResponse in
            try await call.weavr.submitUsersBulk(users).value
        }
    }

    func inviteUsers(_ call: V1Call) async throws -> HTTPResponse {
        var reader = try FieldReader(request: call.request)
        let ids = BulkSubmission.ids(&reader, "userIds")
        let mode = BulkSubmission.mode(&reader)
        try reader.validate()
        guard let ids else { throw Problem(.validationFailed) }
        return try await submitAndExecute(call, mode: mode, listName: "userIds", kind: "user_invite", ids: ids, count: ids.count) { () async throws(WeavrError) -> BulkSubmitResponse in
            try await call.weavr.submitUserInvitesBulk(ids).value
        }
    }

    /// Submits, then executes. A retry with the same `Idempotency-Key` gets Weavr's replayed submit (the same
    /// bulk); if that bulk already runs, execute's 409 `INVALID_STATE` is not an error: its status is re-read.
    private func submitAndExecute(
        _ call: V1Call, mode: BulkMode, listName: String, kind: String, ids: [String], count: Int,
        _ submit: () async throws(WeavrError) -> BulkSubmitResponse
    ) async throws -> HTTPResponse {
        let details: [String: AuditDetails.Value] = ["kind": .string(kind), "count": .integer(Int64(count))]
        let items = ids.enumerated().map { index, id in
            audit.entry(call, .bulkOperation, target: id, outcome: .intent,
                        details: AuditTrail.details(["kind": .string(kind), "index": .integer(Int64(index))]))
        }
        return try await call.audited(units: count, details: details, alsoIntended: items) {
            let submitted: BulkSubmitResponse
            do {
                submitted = try await submit()
            } catch let error as WeavrError {
                throw UpstreamFailure(problem: BulkSubmission.problem(error, listName: listName), weavr: error)
            }
            var status = "running"
            var ref: String?
            var upstreamStatus = 200
            do {
                let executed = try await call.weavr.executeBulk(submitted.bulkId, mode: mode)
                (upstreamStatus, ref) = (executed.status, executed.requestRef)
            } catch let error as WeavrError where error.kind == .conflict(code: "INVALID_STATE") {
                do {
                    status = BulkView.status(try await call.weavr.getBulk(submitted.bulkId).value.status)
                } catch let error as WeavrError {
                    throw UpstreamFailure(error)
                }
            } catch let error as WeavrError {
                throw UpstreamFailure(error)
            }
            var json = JSONWriter()
            json.beginObject()
            json.field("id", submitted.bulkId)
            json.field("status", status)
            json.field("operationCount", submitted.operationCount)
            json.endObject()
            return AuditedOutcome(
                response: .json(202, json.bytes, headers: ["location": "/v1/bulk/\(submitted.bulkId)"]),
                upstreamStatus: upstreamStatus, upstreamRequestRef: ref, target: submitted.bulkId,
                details: ["operation_count": .integer(Int64(submitted.operationCount))]
            )
        }
    }

    // MARK: read

    func get(_ call: V1Call) async throws -> HTTPResponse {
        let id = try BulkRoutes.bulkID(call)
        try ListQuery(call.request, allowed: []).validate()
        return try await respondWithBulk(call, id: id)
    }

    func operations(_ call: V1Call) async throws -> HTTPResponse {
        let id = try BulkRoutes.bulkID(call)
        var query = try ListQuery(call.request, allowed: ["status", "limit", "cursor"])
        let weavrStatus = query.choice("status", BulkView.operationStatuses)?.uppercased()
        let page = PageRequest(&query, scope: "bulk:\(id):operations:\(weavrStatus ?? "ALL")")
        try query.validate()
        let result = try await call.weavr.bulkOperations(id, status: weavrStatus, offset: page.offset, limit: page.limit).value
        var json = JSONWriter()
        json.beginObject()
        json.key("operations")
        json.beginArray()
        for operation in result.items { BulkOperationView.write(operation, to: &json) }
        json.endArray()
        json.field("nextCursor", page.nextCursor(returned: result.items.count, total: result.count))
        json.endObject()
        return .json(200, json.bytes, headers: ["cache-control": "no-store"])
    }

    // MARK: steer

    func transition(_ action: String, _ call: V1Call) async throws -> HTTPResponse {
        let id = try BulkRoutes.bulkID(call)
        do {
            switch action {
            case "pause": _ = try await call.weavr.pauseBulk(id)
            case "resume": _ = try await call.weavr.resumeBulk(id)
            default: _ = try await call.weavr.cancelBulk(id)
            }
        } catch {
            if case .conflict = error.kind {
                throw Problem(.conflict, detail: "the bulk cannot \(action) in its current state", upstreamCode: error.code)
            }
            throw error
        }
        return try await respondWithBulk(call, id: id)
    }

    private func respondWithBulk(_ call: V1Call, id: String) async throws -> HTTPResponse {
        let bulk = try await call.weavr.getBulk(id).value
        if bulk.isFinal { await recordOperations(call, bulk: bulk) }
        var json = JSONWriter()
        BulkView.write(bulk, to: &json)
        return .json(200, json.bytes, headers: ["cache-control": "no-store"])
    }

    /// The per-operation outcomes of a final bulk, once: one `bulk.operation` row per operation (target the
    /// card or user id, `success` for a completed operation, `failure` with Weavr's error code otherwise),
    /// actor the reading session's user. A failure to list or write is reported and retried by a later read.
    private func recordOperations(_ call: V1Call, bulk: BulkProcessDetails) async {
        let key = "bulk:\(call.auth.tenant.id):\(bulk.bulkId)"
        if (try? await audit.log.isRecorded(key: key)) == true { return }
        var operations: [BulkOperation] = []
        do {
            while operations.count < BulkSubmission.maxOperations {
                let page = try await call.weavr.bulkOperations(bulk.bulkId, status: nil, offset: operations.isEmpty ? nil : operations.count, limit: 100).value
                operations += page.items
                if page.items.isEmpty || operations.count >= page.count { break }
            }
        } catch {
            AuditTrail.report("bulk \(bulk.bulkId): operations not listed for the audit log: \(error)")
            return
        }
        let type = BulkView.type(bulk.operation)
        let entries = operations.map { operation in
            let status = BulkView.status(operation.status, allowed: BulkView.operationStatuses)
            var details: [String: AuditDetails.Value] = ["bulk": .string(bulk.bulkId), "type": .string(type), "status": .string(status)]
            if let sequence = operation.sequence { details["sequence"] = .integer(sequence) }
            if status != "completed" { details["upstream_code"] = .string(status == "failed" ? BulkOperationView.errorCode(operation.responsePayload) : status.uppercased()) }
            return audit.entry(
                call, .bulkOperation, target: BulkOperationView.target(operation), outcome: status == "completed" ? .success : .failure,
                details: AuditTrail.details(details)
            )
        }
        do {
            try await audit.log.appendOnce(key: key, entries)
        } catch {
            AuditTrail.report("bulk \(bulk.bulkId): per-operation audit rows not written: \(error)")
        }
    }

    /// The `{id}` segment: Weavr's bulk ids are short tokens (`^[0-9]+$` in older specs); anything else is a 404
    /// without asking Weavr.
    static func bulkID(_ call: V1Call) throws(Problem) -> String {
        guard let id = call.request.pathParameters["id"], (1...64).contains(id.utf8.count),
              id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F })
        else { throw Problem(.notFound) }
        return id
    }
}
