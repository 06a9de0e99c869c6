import Auth
import Foundation
import NIOFreeHTTP

/// JSON in and out of the admin API. Never includes an api-key, a Weavr token or key bytes.
enum AdminJSON {
    static func object(_ request: HTTPRequest) throws -> [String: Any] {
        guard request.body.count <= 64 * 1024 else { throw Problem(.payloadTooLarge) }
        guard (request.headers["content-type"] ?? "").lowercased().hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, detail: "send application/json")
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(request.body)), let object = value as? [String: Any] else {
            throw Problem(.badRequest, detail: "body is not a JSON object")
        }
        return object
    }

    static func profiles(_ value: Any?) throws -> Tenant.CardProfiles? {
        guard let value else { return nil }
        guard let object = value as? [String: Any] else {
            throw Problem(.validationFailed, invalidFields: [.init(name: "cardProfiles", reason: "an object {prepaid: {EUR: id}, debit: {…}, transfer: id}")])
        }
        if let transfer = object["transfer"], !(transfer is String || transfer is NSNull) {
            throw Problem(.validationFailed, invalidFields: [.init(name: "cardProfiles.transfer", reason: "a profile id or null")])
        }
        return Tenant.CardProfiles(
            prepaid: object["prepaid"] as? [String: String] ?? [:], debit: object["debit"] as? [String: String] ?? [:],
            transfer: object["transfer"] as? String
        )
    }

    static func modes(_ value: Any?) throws -> Set<Tenant.SessionMode>? {
        guard let value else { return nil }
        guard let names = value as? [String] else {
            throw Problem(.validationFailed, invalidFields: [.init(name: "sessionModes", reason: "a list of cookie, bearer")])
        }
        var modes: Set<Tenant.SessionMode> = []
        for name in names {
            guard let mode = Tenant.SessionMode(rawValue: name) else {
                throw Problem(.validationFailed, invalidFields: [.init(name: "sessionModes", reason: "cookie or bearer")])
            }
            modes.insert(mode)
        }
        return modes
    }

    static func array(_ items: [JSONWriter]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: item.bytes)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func tenant(_ tenant: Tenant) -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.field("id", tenant.id)
        json.field("name", tenant.name)
        json.field("status", tenant.status.rawValue)
        json.field("weavrBaseURL", tenant.weavrBaseURL)
        json.field("apiKeySet", true)
        json.key("cardProfiles")
        json.beginObject()
        for (kind, map) in [("prepaid", tenant.cardProfiles.prepaid), ("debit", tenant.cardProfiles.debit)] {
            json.key(kind)
            json.beginObject()
            for (currency, id) in map.sorted(by: { $0.key < $1.key }) { json.field(currency, id) }
            json.endObject()
        }
        json.field("transfer", tenant.cardProfiles.transfer)
        json.endObject()
        json.key("allowedOrigins")
        json.beginArray()
        for origin in tenant.allowedOrigins { json.value(origin) }
        json.endArray()
        json.key("sessionModes")
        json.beginArray()
        for mode in tenant.sessionModes.map(\.rawValue).sorted() { json.value(mode) }
        json.endArray()
        json.key("quotas")
        json.beginObject()
        for (name, limit) in tenant.quotas.sorted(by: { $0.key < $1.key }) { json.field(name, limit) }
        json.endObject()
        json.field("createdAt", Timestamp.iso8601(milliseconds: tenant.createdAt))
        json.field("updatedAt", Timestamp.iso8601(milliseconds: tenant.updatedAt))
        json.endObject()
        return json
    }

    static func session(_ session: Session) -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.field("sid", session.sid)
        json.field("userId", session.userID)
        json.key("identity")
        json.beginObject()
        json.field("type", session.identity.type.lowercased())
        json.field("id", session.identity.id)
        json.endObject()
        json.field("steppedUp", session.isSteppedUp)
        json.field("createdAt", Timestamp.iso8601(milliseconds: session.createdAt))
        json.field("lastSeenAt", Timestamp.iso8601(milliseconds: session.lastSeenAt))
        json.field("idleExpiresAt", Timestamp.iso8601(milliseconds: session.idleExpiresAt))
        json.field("expiresAt", Timestamp.iso8601(milliseconds: session.absoluteExpiresAt))
        json.endObject()
        return json
    }

    static func key(_ key: SigningKeyInfo) -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.field("kid", key.kid)
        json.field("state", "\(key.state)")
        json.field("createdAt", Timestamp.iso8601(milliseconds: key.createdAt))
        json.field("retiredAt", key.retiredAt.map { Timestamp.iso8601(milliseconds: $0) })
        json.endObject()
        return json
    }
}
