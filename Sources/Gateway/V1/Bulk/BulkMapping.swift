import Foundation
import Upstream

// Bulks, both directions in one place: public id lists and users → Weavr bulk bodies (`BulkSubmission`),
// Weavr bulk processes and operations → public JSON (`BulkView`, `BulkOperationView`).

/// The bodies of the bulk submit routes, checked before anything is sent to Weavr, and the mapping of
/// Weavr's item-addressed 400 fields (`[3].pathParams._id_`) back to public names (`cardIds[3]`).
enum BulkSubmission {
    /// Weavr's limit per bulk process.
    static let maxOperations = 10_000

    /// `name`: an array of 1…10,000 distinct numeric id strings.
    static func ids(_ reader: inout FieldReader, _ name: String) -> [String]? {
        guard let values = reader.array(name, count: 1...maxOperations) else { return nil }
        var ids: [String] = []
        ids.reserveCapacity(values.count)
        var seen = Set<String>()
        for (index, value) in values.enumerated() {
            guard let id = value as? String, FieldReader.isNumericID(id) else {
                reader.fail("\(name)[\(index)]", "must be a numeric id string")
                continue
            }
            guard seen.insert(id).inserted else {
                reader.fail("\(name)[\(index)]", "duplicate id")
                continue
            }
            ids.append(id)
        }
        return ids.count == values.count ? ids : nil
    }

    /// `users`: 1…10,000 user objects, each as `POST /v1/users` takes it, with distinct emails.
    static func users(_ reader: inout FieldReader) -> [UserCreateBody]? {
        guard let values = reader.array("users", count: 1...maxOperations) else { return nil }
        var users: [UserCreateBody] = []
        users.reserveCapacity(values.count)
        var emails = Set<String>()
        for (index, value) in values.enumerated() {
            guard let object = value as? [String: Any] else {
                reader.fail("users[\(index)]", "must be an object")
                continue
            }
            var item = FieldReader(object, prefix: "users[\(index)].")
            let user = UserInput.read(&item)
            if let user, !emails.insert(user.email.lowercased()).inserted {
                item.fail("email", "duplicate in this bulk")
            }
            reader.merge(item)
            if let user, item.invalid.isEmpty { users.append(user) }
        }
        return users.count == values.count ? users : nil
    }

    /// `onFailure`: `continue` (default: every operation runs) or `stop` (the rest is cancelled after a failure).
    static func mode(_ reader: inout FieldReader) -> BulkMode {
        switch reader.optionalString("onFailure", length: 1...16) {
        case nil, "continue": return .onFailureContinue
        case "stop": return .onFailureStop
        default:
            reader.fail("onFailure", "must be continue or stop")
            return .onFailureContinue
        }
    }

    /// A Weavr failure of a submit; 400 field names become the public ones of list `listName`.
    static func problem(_ error: WeavrError, listName: String) -> Problem {
        guard case .badRequest(let fields) = error.kind else { return Problem.upstream(error) }
        return Problem(.validationFailed, invalidFields: fields.prefix(100).map { field in
            .init(name: publicName(field.fieldName, listName: listName), reason: UpstreamFieldNames.reason(field.error))
        })
    }

    /// `[3].pathParams._id_` → `cardIds[3]`, `[3].requestBody.email` → `users[3].email`, anything else → `listName`.
    static func publicName(_ weavrName: String, listName: String) -> String {
        guard weavrName.hasPrefix("["), let close = weavrName.firstIndex(of: "]") else { return listName }
        let index = weavrName[weavrName.index(after: weavrName.startIndex)..<close]
        guard !index.isEmpty, index.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), index.count <= 5 else { return listName }
        let item = "\(listName)[\(index)]"
        let rest = weavrName[weavrName.index(after: close)...]
        let known = ["name", "surname", "email", "mobile", "mobile.countryCode", "mobile.number", "roles"]
        if rest.hasPrefix(".requestBody."), case let field = String(rest.dropFirst(".requestBody.".count)), known.contains(field) {
            return item + "." + field
        }
        return item
    }
}

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

/// The public view of one bulk operation `{sequence, target, status, error? {code}}`. Weavr's
/// `requestPayload` and `responsePayload` are never passed on: only the card or user id and, for a failed
/// operation, Weavr's error code are taken from them.
enum BulkOperationView {
    static func write(_ operation: BulkOperation, to json: inout JSONWriter) {
        let status = BulkView.status(operation.status, allowed: BulkView.operationStatuses)
        json.beginObject()
        if let sequence = operation.sequence { json.field("sequence", sequence) } else { json.field("sequence", nil as String?) }
        json.field("target", target(operation))
        json.field("status", status)
        if status == "failed" {
            json.key("error")
            json.beginObject()
            json.field("code", errorCode(operation.responsePayload))
            json.endObject()
        }
        json.endObject()
    }

    /// The card or user id in the operation's path (`/managed_cards/{id}/block`, `/users/{user_id}/invite`);
    /// for a completed user creation (`/users`), the new user's id.
    static func target(_ operation: BulkOperation) -> String? {
        let segments = (operation.path ?? "").split(separator: "/").map(String.init)
        if segments.count >= 2, segments[0] == "managed_cards" || segments[0] == "users", FieldReader.isNumericID(segments[1]) {
            return segments[1]
        }
        if segments == ["users"], operation.status == "COMPLETED", let object = payload(operation.responsePayload),
           let id = object["id"] as? String, FieldReader.isNumericID(id) {
            return id
        }
        return nil
    }

    /// Weavr's `errorCode` (409/403) or `code` (404) from a failed operation's answer; `VALIDATION_FAILED` for
    /// a 400 (`syntaxErrors`); `UNKNOWN` when the answer carried no code (401, 5xx).
    static func errorCode(_ responsePayload: String?) -> String {
        guard let object = payload(responsePayload) else { return "UNKNOWN" }
        for key in ["errorCode", "code"] {
            if let code = WeavrVetting.code(object[key] as? String) { return code }
        }
        if object["syntaxErrors"] != nil { return "VALIDATION_FAILED" }
        return "UNKNOWN"
    }

    private static func payload(_ text: String?) -> [String: Any]? {
        guard let text, !text.isEmpty, text.utf8.count <= 64 * 1024 else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
