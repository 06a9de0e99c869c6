/// A bulk process: its submitted operations, status and execution bookkeeping.
struct SimulatedBulkProcess: Sendable {
    var id: String
    var principal: SimulatorPrincipal
    var kind: BulkOperationKind
    /// SUBMITTED, RUNNING, PAUSED, COMPLETED, PARTIALLY_COMPLETED, FAILED, CANCELLED.
    var status: String
    /// ON_FAILURE_CONTINUE (default) or ON_FAILURE_STOP, once executed.
    var mode: String?
    var executionStart: Int64?
    var executionFinish: Int64?
    var submittedAt: Int64
    var operations: [SimulatedBulkOperation]
    /// Bumped on every (re)start so a stale runner stops.
    var runGeneration = 0

    var isFinal: Bool {
        ["COMPLETED", "PARTIALLY_COMPLETED", "FAILED", "CANCELLED"].contains(status)
    }

    /// `BulkProcess` JSON.
    var json: [String: Any] {
        var object: [String: Any] = [
            "bulkId": id,
            "status": status,
            "submittedItemsCount": operations.count,
            "operation": kind.singleOperationPath,
        ]
        if let mode { object["mode"] = mode }
        if let executionStart { object["executionStart"] = executionStart }
        if let executionFinish { object["executionFinish"] = executionFinish }
        return object
    }

    /// `BulkProcessDetails` JSON: `BulkProcess` plus counts per operation status.
    var detailsJSON: [String: Any] {
        var object = json
        let statuses = ["SUBMITTED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]
        object["operationStatusCounts"] = statuses.compactMap { status -> [String: Any]? in
            let count = operations.filter { $0.status == status }.count
            return count == 0 ? nil : ["status": status, "count": count]
        }
        return object
    }
}
