import Foundation

extension SimulatorState {
    static let maxBulkOperations = 10_000

    func ownedBulkIndex(_ id: String?, _ principal: SimulatorPrincipal) -> Int? {
        guard let index = bulkIndex[id ?? ""], bulks[index].principal.identityID == principal.identityID else { return nil }
        return index
    }

    /// `POST /bulks/...`: validates the array of `{pathParams, requestBody?}` items and stores a SUBMITTED process.
    mutating func submitBulk(_ kind: BulkOperationKind, _ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let items = JSONBody.decode(call.body) as? [Any] else {
            return .json(400, ["message": "Request body must be a JSON array of bulk operations"])
        }
        guard (1...SimulatorState.maxBulkOperations).contains(items.count) else {
            return .badRequest([InvalidField(fieldName: "operations", error: "SIZE", params: ["1", String(SimulatorState.maxBulkOperations)])])
        }
        var invalid: [InvalidField] = []
        var operations: [SimulatedBulkOperation] = []
        operations.reserveCapacity(items.count)
        for (position, raw) in items.enumerated() {
            guard let item = raw as? [String: Any] else {
                invalid.append(InvalidField(fieldName: "[\(position)]", error: "REQUIRED"))
                continue
            }
            var pathParameters: [String: String] = [:]
            var target: String?
            if let name = kind.pathParameterName {
                let value = (item["pathParams"] as? [String: Any])?[name] as? String
                guard let value, value.range(of: FieldValidator.idPattern, options: .regularExpression) != nil else {
                    invalid.append(InvalidField(fieldName: "[\(position)].pathParams.\(name)", error: value == nil ? "REQUIRED" : "REGEX", params: [FieldValidator.idPattern]))
                    continue
                }
                pathParameters[name] = value
                target = value
            }
            var requestBody: [UInt8] = []
            if kind == .createUser {
                guard let body = item["requestBody"] as? [String: Any] else {
                    invalid.append(InvalidField(fieldName: "[\(position)].requestBody", error: "REQUIRED"))
                    continue
                }
                requestBody = JSONBody.encode(body)
            }
            operations.append(SimulatedBulkOperation(
                id: newID(), sequence: position + 1, method: "POST", path: kind.concretePath(target),
                pathParameters: pathParameters, requestBody: requestBody, status: "SUBMITTED"
            ))
        }
        guard invalid.isEmpty else { return .badRequest(Array(invalid.prefix(100))) }
        let bulk = SimulatedBulkProcess(
            id: newID(), principal: principal, kind: kind, status: "SUBMITTED", submittedAt: call.now, operations: operations
        )
        bulkIndex[bulk.id] = bulks.count
        bulks.append(bulk)
        return .json(201, ["bulkId": bulk.id, "operationCount": operations.count, "path": kind.submitPath])
    }

    /// `GET /bulks` (filter `status`).
    func listBulks(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        let status = call.queryValue("status")
        let matching = bulks.filter { $0.principal.identityID == principal.identityID && (status == nil || $0.status == status) }
        return page(matching.map(\.json), key: "bulkProcesses", call: call)
    }

    /// `GET /bulks/{bulk_id}`.
    func getBulk(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let index = ownedBulkIndex(call.pathParameters["bulk_id"], principal) else { return .notFound("Bulk process") }
        return .json(200, bulks[index].detailsJSON)
    }

    /// `GET /bulks/{bulk_id}/operations` (filters `status`, `sequence`).
    func listBulkOperations(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let index = ownedBulkIndex(call.pathParameters["bulk_id"], principal) else { return .notFound("Bulk process") }
        let status = call.queryValue("status")
        let sequence = call.queryValue("sequence").flatMap { Int($0) }
        let matching = bulks[index].operations.filter { ($0.status == status || status == nil) && ($0.sequence == sequence || sequence == nil) }
        return page(matching.map(\.json), key: "operations", call: call)
    }

    /// `POST /bulks/{bulk_id}/execute|pause|resume|cancel`; an illegal transition is 409 INVALID_STATE.
    mutating func transitionBulk(_ action: String, _ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        var mode = "ON_FAILURE_CONTINUE"
        if action == "execute", !call.body.isEmpty {
            guard let body = JSONBody.decode(call.body) as? [String: Any] else { return .json(400, ["message": "Request body must be a JSON object"]) }
            var check = FieldValidator(body)
            mode = check.string("mode", allowed: ["ON_FAILURE_STOP", "ON_FAILURE_CONTINUE"]) ?? mode
            if let interval = body["webhookInterval"], !(interval is Int) { check.fail("webhookInterval", "RANGE") }
            guard check.isValid else { return .badRequest(check.invalidFields) }
        }
        guard let index = ownedBulkIndex(call.pathParameters["bulk_id"], principal) else { return .notFound("Bulk process") }
        var bulk = bulks[index]
        var reply = SimulatorReply.empty(204)
        switch (action, bulk.status) {
        case ("execute", "SUBMITTED"):
            bulk.status = "RUNNING"
            bulk.mode = mode
            bulk.executionStart = call.now
            bulk.runGeneration += 1
            reply.bulkToRun = bulk.id
        case ("pause", "RUNNING"):
            bulk.status = "PAUSED"
        case ("resume", "PAUSED"):
            bulk.status = "RUNNING"
            bulk.runGeneration += 1
            reply.bulkToRun = bulk.id
        case ("cancel", "SUBMITTED"), ("cancel", "RUNNING"), ("cancel", "PAUSED"):
            // Prose allows cancelling a SUBMITTED process too (docs.weavr.io bulk process page).
            bulk.status = "CANCELLED"
            bulk.executionFinish = call.now
            for position in bulk.operations.indices where bulk.operations[position].status == "SUBMITTED" {
                bulk.operations[position].status = "CANCELLED"
            }
        default:
            return .errorCode(409, "INVALID_STATE")
        }
        reply.bulkGeneration = bulk.runGeneration
        bulks[index] = bulk
        return reply
    }

    /// Runs the next operation of a RUNNING bulk; false when the runner must stop (paused, cancelled,
    /// finished, superseded by a newer run, or the simulator shut down).
    mutating func runNextBulkOperation(bulkID: String, generation: Int, now: Int64) -> Bool {
        guard !isShutDown, let index = bulkIndex[bulkID], bulks[index].runGeneration == generation, bulks[index].status == "RUNNING" else {
            return false
        }
        guard let position = bulks[index].operations.firstIndex(where: { $0.status == "SUBMITTED" }) else {
            finishBulk(index, now: now)
            return false
        }
        let operation = bulks[index].operations[position]
        let principal = bulks[index].principal
        let target = operation.pathParameters.values.first
        let reply: SimulatorReply
        switch bulks[index].kind {
        case .createUser: reply = createUser(body: operation.requestBody, principal: principal, requireStepUp: false)
        case .inviteUser: reply = inviteUser(id: target, principal: principal)
        case .blockCard: reply = blockCard(id: target, principal: principal)
        case .unblockCard: reply = unblockCard(id: target, principal: principal)
        case .removeCard: reply = removeCard(id: target, principal: principal)
        }
        let succeeded = (200..<300).contains(reply.status)
        bulks[index].operations[position].status = succeeded ? "COMPLETED" : "FAILED"
        bulks[index].operations[position].responsePayload = String(decoding: reply.body, as: UTF8.self)
        if !succeeded && bulks[index].mode == "ON_FAILURE_STOP" {
            for later in bulks[index].operations.indices where bulks[index].operations[later].status == "SUBMITTED" {
                bulks[index].operations[later].status = "CANCELLED"
            }
        }
        if !bulks[index].operations.contains(where: { $0.status == "SUBMITTED" }) {
            finishBulk(index, now: now)
            return false
        }
        return true
    }

    private mutating func finishBulk(_ index: Int, now: Int64) {
        let completed = bulks[index].operations.filter { $0.status == "COMPLETED" }.count
        let failed = bulks[index].operations.filter { $0.status != "COMPLETED" }.count
        bulks[index].status = failed == 0 ? "COMPLETED" : (completed == 0 ? "FAILED" : "PARTIALLY_COMPLETED")
        bulks[index].executionFinish = now
    }
}
