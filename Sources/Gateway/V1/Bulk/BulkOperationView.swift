import Foundation
import Upstream

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
