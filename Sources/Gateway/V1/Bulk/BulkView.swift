import Upstream

/// The public view of a Weavr bulk process: flat, lower-case enums, ISO-8601 times, no Weavr paths.
enum BulkView {
    /// Public statuses of a process.
    static let statuses = ["submitted", "running", "paused", "completed", "partially_completed", "failed", "cancelled"]
    /// Public statuses of an operation (the keys of `progress`).
    static let operationStatuses = ["submitted", "running", "completed", "failed", "cancelled"]

    /// Weavr's upper-case status, lower-cased; an unknown value is passed as `unknown` rather than invented.
    static func status(_ weavr: String, allowed: [String] = statuses) -> String {
        let lower = weavr.lowercased()
        return allowed.contains(lower) ? lower : "unknown"
    }

    /// Public types of a process (`type`).
    static let types = ["card_block", "card_unblock", "card_remove", "user_create", "user_invite", "other"]

    /// What the process does, from Weavr's `operation` (the equivalent single operation's path).
    static func type(_ operation: String?) -> String {
        switch operation {
        case "/managed_cards/{id}/block": "card_block"
        case "/managed_cards/{id}/unblock": "card_unblock"
        case "/managed_cards/{id}/remove": "card_remove"
        case "/users": "user_create"
        case "/users/{user_id}/invite": "user_invite"
        default: "other"
        }
    }

    /// `{id, type, status, operationCount, progress {submitted, running, completed, failed, cancelled},
    /// startedAt, finishedAt}`.
    static func write(_ bulk: BulkProcessDetails, to json: inout JSONWriter) {
        var counts: [String: Int] = [:]
        for entry in bulk.operationStatusCounts ?? [] {
            counts[entry.status.lowercased(), default: 0] += entry.count
        }
        json.beginObject()
        json.field("id", bulk.bulkId)
        json.field("type", type(bulk.operation))
        json.field("status", status(bulk.status))
        json.field("operationCount", bulk.submittedItemsCount ?? counts.values.reduce(0, +))
        json.key("progress")
        json.beginObject()
        for name in operationStatuses { json.field(name, counts[name] ?? 0) }
        json.endObject()
        json.field("startedAt", bulk.executionStart.map { Timestamp.iso8601(milliseconds: $0) })
        json.field("finishedAt", bulk.executionFinish.map { Timestamp.iso8601(milliseconds: $0) })
        json.endObject()
    }
}
