import Audit
import Foundation

/// One verified Weavr webhook, reduced to what the gateway keeps: the public event (`/v1/events` JSON, flat,
/// lower-case enums, minor units), whose identity it belongs to, and the audit row it becomes, if any.
///
/// Parsing is tolerant: unknown fields are ignored, a missing optional field is left out. Only ids, enums,
/// amounts and merchant names are read — never a card number, CVV or PIN (Weavr's webhooks carry none, and
/// nothing else of the body is kept).
///
/// The audit rule (docs/ARCHITECTURE.md, "Weavr's events"): every event goes to the event log; the audit chain
/// gets card state changes, physical-card upgrades, settlements (money moved), transfers and bulk-process ends —
/// and of authorisations only the declines (approved authorisations are many and their money decision is the
/// settlement that follows).
struct WeavrWebhookEvent: Sendable, Equatable {
    /// The webhook paths Weavr posts to under the configured URL, and the event kind each becomes.
    enum Kind: String, Sendable, CaseIterable {
        case cardStateChange = "card.state_change"
        case cardAuthorisation = "card.authorisation"
        case cardSettlement = "card.settlement"
        case cardPhysicalUpgrade = "card.physical_upgrade"
        case transfer = "transfer"
        case bulkProcess = "bulk.process"

        /// Weavr's path below the webhook URL (`${WEBHOOK_URL}/managed_cards/state_change/watch`).
        var weavrPath: String {
            switch self {
            case .cardStateChange: "managed_cards/state_change/watch"
            case .cardAuthorisation: "managed_cards/authorisations/watch"
            case .cardSettlement: "managed_cards/settlements/watch"
            case .cardPhysicalUpgrade: "managed_cards/physical_cards_upgrade/watch"
            case .transfer: "transfers/watch"
            case .bulkProcess: "bulks/process_end/watch"
            }
        }

        var auditAction: AuditAction {
            AuditAction(rawValue: "weavr." + rawValue)!
        }
    }

    var kind: Kind
    /// The owning identity's id when Weavr names one (`owner.id`). A card event without one (a state change names
    /// none) goes to the card's owner as `CardOwners` knows it; otherwise it is logged and audited but streamed to
    /// nobody (README, "Weavr's events").
    var identityType: String?
    var identityID: String?
    /// The card a card event is about (its owner is looked up in `CardOwners` when Weavr names none).
    var cardID: String?
    /// The public JSON of the event (`/v1/events` `data:`), without `id` (the log's seq).
    var json: String
    /// The audit row's action, target, outcome and details; nil when the rule above keeps it out of the chain.
    var audit: (target: String?, outcome: AuditOutcome, details: [String: AuditDetails.Value])?

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.kind == rhs.kind && lhs.identityID == rhs.identityID && lhs.json == rhs.json
    }

    /// Parses a verified body; nil when it is not a JSON object or lacks the fields its kind needs.
    init?(kind: Kind, body: [UInt8]) {
        guard let value = try? JSONSerialization.jsonObject(with: Data(body)), let object = value as? [String: Any] else { return nil }
        self.kind = kind
        let owner = object["owner"] as? [String: Any]
        identityType = (owner?["type"] as? String).map { $0.lowercased() }
        identityID = Self.text(owner?["id"])
        var json = JSONWriter()
        json.beginObject()
        json.field("type", kind.rawValue)
        var details: [String: AuditDetails.Value] = [:]
        var target: String?
        var outcome = AuditOutcome.success
        var audited = true
        switch kind {
        case .cardStateChange:
            guard let card = Self.instrumentID(object), let eventType = object["eventType"] as? String else { return nil }
            target = card
            cardID = card
            let state = object["state"] as? [String: Any]
            json.field("cardId", card)
            json.field("event", eventType.lowercased())
            details["event"] = .string(eventType.lowercased())
            for (name, key) in [("state", "state"), ("blockedReason", "blockedReason"), ("destroyedReason", "destroyedReason")] {
                if let value = state?[key] as? String {
                    json.field(name, value.lowercased())
                    details[name] = .string(value.lowercased())
                }
            }
            json.field("occurredAt", Self.whole(object["timestamp"]))
        case .cardAuthorisation:
            guard let card = Self.instrumentID(object), let transaction = Self.text(object["transactionId"]) else { return nil }
            target = card
            cardID = card
            let approved = (object["approved"] as? Bool) ?? false
            json.field("cardId", card)
            json.field("transactionId", transaction)
            json.field("approved", approved)
            let reason = (object["declineReason"] as? String).map { $0.lowercased() }
            if !approved { json.field("declineReason", reason) }
            if let merchant = (object["merchantData"] as? [String: Any])?["merchantName"] as? String {
                json.field("merchantName", String(merchant.prefix(128)))
            }
            Self.amount(object["transactionAmount"], into: &json, details: &details)
            json.field("occurredAt", Self.whole(object["transactionTimestamp"]))
            audited = !approved
            outcome = .denied
            details["declineReason"] = .string(reason ?? "unknown")
        case .cardSettlement:
            guard let card = Self.instrumentID(object), let transaction = Self.text(object["transactionId"]) else { return nil }
            target = card
            cardID = card
            json.field("cardId", card)
            json.field("transactionId", transaction)
            if let type = object["settlementType"] as? String {
                json.field("settlementType", type.lowercased())
                details["settlementType"] = .string(type.lowercased())
            }
            Self.amount(object["transactionAmount"], into: &json, details: &details)
            json.field("occurredAt", Self.whole(object["transactionTimestamp"]))
        case .cardPhysicalUpgrade:
            guard let card = Self.instrumentID(object) else { return nil }
            target = card
            cardID = card
            json.field("cardId", card)
            let physical = object["physicalCardDetails"] as? [String: Any]
            if let pending = physical?["pendingActivation"] as? Bool {
                json.field("pendingActivation", pending)
                details["pendingActivation"] = .bool(pending)
            }
        case .transfer:
            guard let transfer = Self.text(object["id"]) ?? Self.instrumentID(object) else { return nil }
            target = "transfer:" + transfer
            json.field("transferId", transfer)
            if let state = object["state"] as? String {
                json.field("state", state.lowercased())
                details["state"] = .string(state.lowercased())
            }
            Self.amount(object["transactionAmount"] ?? object["destinationAmount"], into: &json, details: &details)
        case .bulkProcess:
            guard let bulk = Self.text(object["bulkId"]) else { return nil }
            target = "bulk:" + bulk
            json.field("bulkId", bulk)
            if let status = object["status"] as? String {
                json.field("status", status.lowercased())
                details["status"] = .string(status.lowercased())
            }
        }
        json.endObject()
        self.json = String(decoding: json.bytes, as: UTF8.self)
        audit = audited ? (target, outcome, details) : nil
    }

    /// Weavr's `InstrumentId` (`{"id": {"id": "…", "type": "managed_cards"}}`), or a plain `id` string.
    private static func instrumentID(_ object: [String: Any]) -> String? {
        if let nested = object["id"] as? [String: Any] { return text(nested["id"]) }
        return nil
    }

    /// A string id (Weavr sends ids as strings; a number is taken too). Only digits, letters, `-` and `_`,
    /// at most 64 characters: anything else is not an id.
    private static func text(_ value: Any?) -> String? {
        let string: String
        if let value = value as? String {
            string = value
        } else if let number = value as? NSNumber, !FieldReader.isBoolean(number) {
            string = number.stringValue
        } else {
            return nil
        }
        guard !string.isEmpty, string.utf8.count <= 64,
              string.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F })
        else { return nil }
        return string
    }

    /// A whole number sent as a JSON number or a string of digits (Weavr's timestamps and amounts are strings).
    private static func whole(_ value: Any?) -> Int64? {
        if let string = value as? String { return Int64(string) }
        if let number = value as? NSNumber, !FieldReader.isBoolean(number) {
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) < 9e15 else { return nil }
            return number.int64Value
        }
        return nil
    }

    /// `{"currency": "EUR", "amount": "1234"}` → `"amount": {"currency": "EUR", "amount": 1234}` (minor units).
    private static func amount(_ value: Any?, into json: inout JSONWriter, details: inout [String: AuditDetails.Value]) {
        guard let object = value as? [String: Any], let currency = object["currency"] as? String,
              currency.utf8.count == 3, currency.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }),
              let minor = whole(object["amount"])
        else { return }
        json.key("amount")
        json.beginObject()
        json.field("currency", currency)
        json.field("amount", minor)
        json.endObject()
        details["currency"] = .string(currency)
        details["amount"] = .integer(minor)
    }
}
