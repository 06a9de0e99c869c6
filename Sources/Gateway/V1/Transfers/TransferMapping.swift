import Audit
import Auth
import Foundation
import NIOFreeHTTP
import Upstream

// Transfers and instrument history, both directions in one place: public input → Weavr bodies and filters
// (`TransferInput`, `TransactionInput`), Weavr objects → public JSON (`TransferView`, `TransactionView`).

/// The body of `POST /v1/transfers` and the filters of the history lists, checked.
enum TransferInput {
    /// The largest amount one transfer may move: 10^12 minor units.
    static let maxAmount: Int64 = 1_000_000_000_000
    /// The public instrument kinds and Weavr's.
    static let kinds: [String: InstrumentRef.Kind] = ["card": .managedCards, "account": .managedAccounts]

    /// `{source: {type, id}, destination: {type, id}, amount, currency, description?}` → Weavr's
    /// `CreateTransferRequest` with the tenant's transfer profile.
    static func create(_ request: HTTPRequest, tenant: Tenant) throws(Problem) -> TransferCreateBody {
        var body = try FieldReader(request: request)
        let source = instrument(&body, "source")
        let destination = instrument(&body, "destination")
        let amount = body.integer("amount", range: 1...maxAmount)
        let currency = body.string("currency", length: 3...3)
        if let currency, !ListQuery.isCurrencyCode(currency) { body.fail("currency", "must be an ISO 4217 code (three upper-case letters)") }
        let description = body.optionalString("description", length: 1...255)
        if let source, let destination, source == destination { body.fail("destination", "must differ from source") }
        try body.validate()
        guard let source, let destination, let amount, let currency else { throw Problem(.validationFailed) }
        guard let profileID = tenant.cardProfiles.transfer else {
            throw Problem(.forbidden, detail: "transfers are not enabled for this tenant (no transfer profile)")
        }
        return TransferCreateBody(
            profileId: profileID, source: source, destination: destination,
            destinationAmount: CurrencyAmount(currency: currency, amount: amount), description: description
        )
    }

    /// `{type: card|account, id}`.
    private static func instrument(_ body: inout FieldReader, _ name: String) -> InstrumentRef? {
        guard var fields = body.object(name, required: true) else { return nil }
        let type = fields.string("type", length: 1...10)
        let id = fields.string("id", length: 1...32)
        if let type, kinds[type] == nil { fields.fail("type", "must be card or account") }
        if let id, !CardsRoutes.isWeavrID(id) { fields.fail("id", "must be a card or account id (digits)") }
        body.merge(fields)
        guard let type, let kind = kinds[type], let id, CardsRoutes.isWeavrID(id) else { return nil }
        return InstrumentRef(id: id, type: kind)
    }

    /// The public name of an instrument kind.
    static func publicKind(_ kind: InstrumentRef.Kind) -> String {
        kind == .managedCards ? "card" : "account"
    }

    /// The audit details' form of an instrument: `card:123`.
    static func auditName(_ instrument: InstrumentRef) -> String {
        publicKind(instrument.type) + ":" + instrument.id
    }
}

/// The filters of `GET /v1/cards/{id}/transactions` and `GET /v1/accounts/{id}/transactions`.
enum TransactionInput {
    /// Public type → Weavr's `TransactionActivityType`.
    static let types: [(public: String, weavr: String)] = [
        ("transfer", "transfers"), ("send", "sends"), ("outgoing_wire_transfer", "outgoing_wire_transfers"),
        ("incoming_wire_transfer", "incoming_wire_transfers"), ("card_payment", "card_payments"), ("fee", "fees"),
        ("system", "system_transactions"), ("correspondent_bank_transfer", "correspondent_bank_transfers"),
    ]
    /// Weavr's `TransactionActivityStatus`, lower-case.
    static let statuses = ["draft", "submitted", "processing", "completed", "cancelled", "returned"]
    static let parameters = ["type", "status", "direction", "from", "to", "limit", "cursor"]

    /// The Weavr filter and the canonical text a page cursor is bound to.
    static func filter(_ query: inout ListQuery) -> (TransactionFilter, String) {
        var filter = TransactionFilter()
        let types = query.choices("type", Self.types.map(\.public))
        filter.types = types.compactMap { name in Self.types.first { $0.public == name }?.weavr }
        let statuses = query.choices("status", Self.statuses)
        filter.statuses = statuses.map { $0.uppercased() }
        let direction = query.choice("direction", ["credit", "debit"])
        filter.direction = direction?.uppercased()
        let from = time(&query, "from")
        let to = time(&query, "to")
        if let from, let to, from > to { query.fail("to", "must not be before from") }
        filter.createdFrom = from
        filter.createdTo = to
        let text = ["type=" + types.sorted().joined(separator: ","), "status=" + statuses.sorted().joined(separator: ","),
                    "direction=" + (direction ?? ""), "from=" + (from.map(String.init) ?? ""), "to=" + (to.map(String.init) ?? "")]
        return (filter, text.joined(separator: "&"))
    }

    /// An RFC 3339 UTC time (`2026-12-01T10:00:00Z`, optionally with milliseconds) → epoch milliseconds.
    static func time(_ query: inout ListQuery, _ name: String) -> Int64? {
        guard let text = query.single(name) else { return nil }
        guard let milliseconds = Timestamp.milliseconds(iso8601: text) else {
            query.fail(name, "must be a UTC time like 2026-12-01T10:00:00Z")
            return nil
        }
        return milliseconds
    }
}

/// The public JSON of a transfer.
enum TransferView {
    static func write(_ transfer: Transfer, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", transfer.id)
        instrument("source", transfer.source, into: &json)
        instrument("destination", transfer.destination, into: &json)
        json.field("amount", transfer.destinationAmount.amount)
        json.field("currency", transfer.destinationAmount.currency)
        json.field("description", transfer.description)
        json.field("state", state(transfer.state))
        json.field("createdAt", Timestamp.iso8601(milliseconds: transfer.creationTimestamp))
        json.field("executedAt", transfer.executionTimestamp.flatMap(Int64.init).map { Timestamp.iso8601(milliseconds: $0) })
        json.endObject()
    }

    static func body(_ transfer: Transfer) -> [UInt8] {
        var json = JSONWriter()
        write(transfer, into: &json)
        return json.bytes
    }

    static func instrument(_ name: String, _ instrument: InstrumentRef, into json: inout JSONWriter) {
        json.key(name)
        json.beginObject()
        json.field("type", TransferInput.publicKind(instrument.type))
        json.field("id", instrument.id)
        json.endObject()
    }

    /// Weavr's `TransactionState`, lower-case; a state Weavr adds later is `other`.
    static let states = ["initialised", "completed", "rejected", "failed", "pending", "scheduled", "cancelled"]

    static func state(_ weavr: String) -> String {
        let lower = weavr.lowercased()
        return states.contains(lower) ? lower : "other"
    }
}

/// The public JSON of one entry of an instrument's history.
enum TransactionView {
    static func write(_ item: InstrumentTransaction, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", item.id)
        json.field("type", TransactionInput.types.first { $0.weavr == item.type }?.public ?? "other")
        let status = item.status.lowercased()
        json.field("status", TransactionInput.statuses.contains(status) ? status : "other")
        json.field("direction", item.direction.map { $0 == "CREDIT" ? "credit" : "debit" })
        json.field("amount", item.amount.amount)
        json.field("currency", item.amount.currency)
        json.field("createdAt", Timestamp.iso8601(milliseconds: item.creationTimestamp))
        json.field("updatedAt", item.lastUpdatedTimestamp.map { Timestamp.iso8601(milliseconds: $0) })
        // A card payment: the merchant and the payment's own lifecycle (authorised and held, settled, declined…).
        if let merchant = item.transaction?.merchant {
            json.key("merchant")
            json.beginObject()
            json.field("name", merchant.name)
            json.field("categoryCode", merchant.categoryCode)
            json.field("country", merchant.country)
            json.endObject()
        } else {
            json.field("merchant", nil as String?)
        }
        let payment = item.type == "card_payments" ? item.transaction?.status.map(paymentStatus) : nil
        json.field("paymentStatus", payment)
        // A transfer: the other side.
        if let source = item.transaction?.source, let destination = item.transaction?.destination {
            json.key("transfer")
            json.beginObject()
            TransferView.instrument("source", source, into: &json)
            TransferView.instrument("destination", destination, into: &json)
            json.endObject()
        } else {
            json.field("transfer", nil as String?)
        }
        json.endObject()
    }

    /// Weavr's `CardPaymentStatus`, lower-case; anything new is `other`.
    static let paymentStatuses = ["settlement_in_progress", "settled", "declined", "cancelled", "expired"]

    static func paymentStatus(_ weavr: String) -> String {
        let lower = weavr.lowercased()
        return paymentStatuses.contains(lower) ? lower : "other"
    }
}
