import Audit
import GatewayCore
import NIOFreeHTTP

extension AdminAPI {
    /// Signed audit checkpoints: the list (newest first, cursor pages), the public key, and signing one now.
    func addCheckpointRoutes(to router: inout Router) {
        route(&router, "GET", "/admin/v1/audit/checkpoints", action: "admin.audit.checkpoint.list") { request, _ in
            var before: Int64?
            if let cursor = request.queryParameter("cursor") {
                guard let value = Int64(cursor), value > 0 else {
                    throw Problem(.validationFailed, invalidFields: [.init(name: "cursor", reason: "from a previous page's nextCursor")])
                }
                before = value
            }
            var limit = 50
            if let text = request.queryParameter("limit") {
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw Problem(.validationFailed, invalidFields: [.init(name: "limit", reason: "1…1000")])
                }
                limit = value
            }
            let page = try await services.checkpoints.store.list(before: before, limit: limit)
            var json = JSONWriter()
            json.beginObject()
            json.key("checkpoints")
            json.beginArray()
            for checkpoint in page { Self.write(checkpoint, to: &json) }
            json.endArray()
            json.field("nextCursor", page.count == limit ? page.last.map { String($0.treeSize) } : nil)
            json.endObject()
            return .json(200, json.bytes)
        }
        route(&router, "POST", "/admin/v1/audit/checkpoints", action: "admin.audit.checkpoint.sign") { _, _ in
            var signed = try await services.checkpoints.tick(force: true)
            if signed == nil { signed = try await services.checkpoints.store.latest() }
            guard let checkpoint = signed else {
                throw Problem(.conflict, detail: "the audit log is empty")
            }
            var json = JSONWriter()
            Self.write(checkpoint, to: &json)
            return .json(201, json.bytes)
        }
        route(&router, "GET", "/admin/v1/audit/checkpoint-key", action: "admin.audit.checkpoint.key") { _, _ in
            let signer = services.checkpoints.signer
            var json = JSONWriter()
            json.beginObject()
            json.field("keyName", signer.keyName)
            json.field("keyID", Hex.encode(signer.keyID))
            json.field("algorithm", "ed25519")
            json.field("verifierKey", signer.verifierKey)
            json.field("publicKeyPEM", signer.publicKeyPEM)
            json.endObject()
            return .json(200, json.bytes)
        }
    }

    static func write(_ checkpoint: AuditCheckpointRecord, to json: inout JSONWriter) {
        json.beginObject()
        json.field("treeSize", checkpoint.treeSize)
        json.field("rootHash", checkpoint.rootHash)
        json.field("createdAt", Timestamp.iso8601(milliseconds: checkpoint.createdAt))
        json.field("keyID", checkpoint.keyID)
        json.field("note", checkpoint.note)
        json.endObject()
    }
}
