import NIOFreeHTTP
import Upstream

/// `GET /v1/cards/{id}/statement` and `GET /v1/accounts/{id}/statement` (docs/ARCHITECTURE.md, "Statements"):
/// the posted entries of a period with running balances, as the gateway's JSON, or — by `Accept` — Weavr's CSV
/// or PDF streamed through chunk by chunk (`WeavrClient.statementFile`; never held whole in memory).
struct StatementsRoutes: Sendable {
    let v1: V1Router

    static let parameters = ["from", "to", "type", "order", "limit", "cursor"]
    /// Weavr caps a statement page at 500 entries.
    static let limits = 1...500
    static let defaultLimit = 100

    /// What a statement can be answered as.
    enum Format: String, CaseIterable {
        case json = "application/json"
        case csv = "text/csv"
        case pdf = "application/pdf"

        /// The format `accept` prefers (RFC 9110 §12.5.1: the most specific range naming a type gives its
        /// q-value; a higher q wins, then JSON, CSV, PDF in that order). No header, `*/*`: JSON. Nothing
        /// acceptable: nil (406).
        static func negotiate(_ accept: String?) -> Format? {
            guard let accept, !accept.allSatisfy({ $0 == " " || $0 == "\t" }) else { return .json }
            var ranges: [(type: String, subtype: String, q: Double)] = []
            for part in accept.split(separator: ",") {
                let pieces = part.split(separator: ";")
                let range = pieces.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
                let halves = range.split(separator: "/", omittingEmptySubsequences: false)
                guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else { continue }
                var q = 1.0
                for parameter in pieces.dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if pair.count == 2, pair[0].lowercased() == "q" { q = Double(pair[1]).map { min(max($0, 0), 1) } ?? 0 }
                }
                ranges.append((String(halves[0]), String(halves[1]), q))
            }
            var best: (format: Format, q: Double)?
            for format in Format.allCases {
                let halves = format.rawValue.split(separator: "/").map(String.init)
                var specificity = -1
                var q = 0.0
                for range in ranges {
                    let level: Int
                    if range.type == halves[0] && range.subtype == halves[1] {
                        level = 2
                    } else if range.type == halves[0] && range.subtype == "*" {
                        level = 1
                    } else if range.type == "*" && range.subtype == "*" {
                        level = 0
                    } else {
                        continue
                    }
                    if level > specificity { (specificity, q) = (level, range.q) }
                }
                if q > 0, q > (best?.q ?? 0) { best = (format, q) }
            }
            return best?.format
        }

        var weavr: WeavrClient.StatementFileFormat? {
            switch self {
            case .json: nil
            case .csv: .csv
            case .pdf: .pdf
            }
        }

        var fileExtension: String {
            switch self {
            case .json: "json"
            case .csv: "csv"
            case .pdf: "pdf"
            }
        }
    }

    func register(on routes: inout V1Routes) {
        routes.query("/cards/{id}/statement") { call in try await statement(call, kind: .managedCards) }
        routes.query("/accounts/{id}/statement") { call in try await statement(call, kind: .managedAccounts) }
    }

    /// `GET /v1/{cards|accounts}/{id}/statement?from=&to=&type=&order=&limit=&cursor=`.
    func statement(_ call: V1Call, kind: InstrumentRef.Kind) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        guard let format = Format.negotiate(call.request.headers["accept"]) else {
            throw Problem(.notAcceptable, detail: "a statement is application/json, text/csv or application/pdf")
        }
        var query = try ListQuery(call.request, allowed: Self.parameters)
        var filter = StatementFilter()
        let types = query.choices("type", TransactionInput.types.map(\.public))
        filter.types = types.compactMap { name in TransactionInput.types.first { $0.public == name }?.weavr }
        let from = TransactionInput.time(&query, "from")
        let to = TransactionInput.time(&query, "to")
        if let from, let to, from > to { query.fail("to", "must not be before from") }
        filter.start = from
        filter.end = to
        let order = query.choice("order", ["asc", "desc"]) ?? "asc"
        filter.descending = order == "desc"
        let limit = query.limit(Self.limits, default: Self.defaultLimit)
        let filters = ["type=" + types.sorted().joined(separator: ","), "from=" + (from.map(String.init) ?? ""),
                       "to=" + (to.map(String.init) ?? ""), "order=" + order].joined(separator: "&")
        let list = TransferInput.publicKind(kind) + "-statement:" + id
        let offset = query.cursorOffset(list: list, filters: filters)
        try query.validate()
        let instrument = InstrumentRef(id: id, type: kind)

        guard let file = format.weavr else {
            let statement = try await call.weavr.statement(of: instrument, filter: filter, offset: offset == 0 ? nil : offset, limit: limit).value
            let entries = statement.entries ?? []
            let next = offset + entries.count
            let more = !entries.isEmpty && next < (statement.count ?? 0)
            return CardsRoutes.json(200, StatementView.body(statement, nextCursor: more ? PageCursor(list: list, filters: filters, offset: next).encoded : nil))
        }
        let stream = try await call.weavr.statementFile(of: instrument, format: file, filter: filter, offset: offset == 0 ? nil : offset, limit: limit)
        let body = stream.body
        var headers: HTTPHeaders = ["content-type": format.rawValue, "cache-control": "no-store"]
        headers.add("content-disposition", "attachment; filename=\"\(TransferInput.publicKind(kind))-\(id)-statement.\(format.fileExtension)\"")
        return HTTPResponse(status: 200, headers: headers) { writer in
            do {
                while let chunk = try await body.next() { try await writer.write(chunk) }
            } catch {
                // The client went away or Weavr broke off: stop reading Weavr. The response ends without its
                // last chunk, so the client can tell the file is incomplete.
                body.cancel()
                throw error
            }
        }
    }
}

/// The public JSON of a statement.
enum StatementView {
    static func body(_ statement: Statement, nextCursor: String?) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        money("openingBalance", statement.openingBalance, into: &json)
        money("closingBalance", statement.closingBalance, into: &json)
        json.key("entries")
        json.beginArray()
        for entry in statement.entries ?? [] {
            json.beginObject()
            json.field("id", entry.entryId)
            json.field("transactionId", entry.transaction.id)
            json.field("type", TransactionInput.types.first { $0.weavr == entry.transaction.type }?.public ?? "other")
            json.field("description", entry.description)
            json.field("amount", entry.balanceAdjustment.amount)
            json.field("currency", entry.balanceAdjustment.currency)
            json.field("balanceAfter", entry.balanceAfter.amount)
            json.field("postedAt", Timestamp.iso8601(milliseconds: entry.timestamp))
            json.key("counterparty")
            if let party = entry.counterparty {
                json.beginObject()
                json.field("name", party.name)
                json.field("type", party.type.map { $0 == "managed_cards" ? "card" : $0 == "managed_accounts" ? "account" : "other" })
                json.field("id", party.id)
                json.endObject()
            } else {
                json.null()
            }
            json.endObject()
        }
        json.endArray()
        json.field("footer", statement.footer)
        json.field("nextCursor", nextCursor)
        json.endObject()
        return json.bytes
    }

    static func money(_ name: String, _ amount: CurrencyAmount?, into json: inout JSONWriter) {
        json.key(name)
        guard let amount else { return json.null() }
        json.beginObject()
        json.field("amount", amount.amount)
        json.field("currency", amount.currency)
        json.endObject()
    }
}
