import Foundation

/// One posted entry of an instrument's statement: a completed transfer or a settled card payment, which moved
/// the actual balance.
struct StatementEntry {
    var id: String
    var type: String
    var timestamp: Int64
    /// Signed: positive credits, negative debits.
    var adjustment: Int64
    var description: String
    var counterparty: [String: Any]
}

extension SimulatorState {
    /// `GET /managed_cards/{id}/statement` and `GET /managed_accounts/{id}/statement`: the posted entries of
    /// the instrument (completed transfers, settled card payments) in the period, with running balances.
    /// `accept: text/csv` or `application/pdf` answer a file; anything else JSON (the spec: "the default
    /// response type (`application/json`) will be returned if specified incorrectly or not specified").
    func statement(_ kind: SimulatedInstrumentRef.Kind, _ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        let instrument = SimulatedInstrumentRef(id: call.pathParameters["id"] ?? "", kind: kind)
        guard let funds = funds(of: instrument, identityID: principal.identityID) else {
            return .notFound(kind == .managedCards ? "Managed card" : "Managed account")
        }
        var invalid: [InvalidField] = []
        func integer(_ name: String, range: ClosedRange<Int64>) -> Int64? {
            guard let text = call.queryValue(name) else { return nil }
            guard let value = Int64(text), range.contains(value) else {
                invalid.append(InvalidField(fieldName: name, error: "RANGE", params: ["\(range.lowerBound)", "\(range.upperBound)"]))
                return nil
            }
            return value
        }
        let offset = Int(integer("offset", range: 0...Int64(Int32.max)) ?? 0)
        let limit = Int(integer("limit", range: 1...500) ?? 100)
        let start = integer("startPeriod", range: 0...Int64.max)
        let end = integer("endPeriod", range: 0...Int64.max)
        var descending = false
        if let order = call.queryValue("sortOrder") {
            if order == "DESC" { descending = true } else if order != "ASC" { invalid.append(InvalidField(fieldName: "sortOrder", error: "IN", params: ["ASC", "DESC"])) }
        }
        let allowedTypes = ["card_payments", "transfers", "sends", "outgoing_wire_transfers", "incoming_wire_transfers",
                            "correspondent_bank_transfers", "fees", "system_transactions"]
        let types = Set((call.query["transaction.type"] ?? []).flatMap { $0.split(separator: ",").map(String.init) })
        if !types.allSatisfy(allowedTypes.contains) { invalid.append(InvalidField(fieldName: "transaction.type", error: "IN", params: allowedTypes)) }
        guard invalid.isEmpty else { return .badRequest(invalid) }

        // Running balances: the balance before every posted entry is the actual balance less all of them.
        let all = postedEntries(of: instrument).sorted { ($0.timestamp, UInt64($0.id) ?? 0) < ($1.timestamp, UInt64($1.id) ?? 0) }
        var balance = funds.actualBalance - all.reduce(0) { $0 + $1.adjustment }
        var opening: Int64?
        var inPeriod: [(entry: StatementEntry, after: Int64)] = []
        for entry in all {
            if let start, entry.timestamp < start {
                balance += entry.adjustment
                continue
            }
            if let end, entry.timestamp > end { break }
            if opening == nil { opening = balance }
            balance += entry.adjustment
            inPeriod.append((entry, balance))
        }
        let openingBalance = opening ?? balance
        let closingBalance = inPeriod.last?.after ?? openingBalance
        var selected = inPeriod.filter { types.isEmpty || types.contains($0.entry.type) }
        if descending { selected.reverse() }
        let page = offset < selected.count ? Array(selected[offset..<min(selected.count, offset + limit)]) : []
        let currency = funds.currency

        switch Self.statementFormat(call.accept) {
        case "text/csv":
            var csv = "entryId,timestamp,type,description,amount,currency,balanceAfter\r\n"
            for (entry, after) in page {
                csv += "\(entry.id),\(entry.timestamp),\(entry.type),\(Self.csvField(entry.description)),\(entry.adjustment),\(currency),\(after)\r\n"
            }
            return SimulatorReply(status: 200, body: Array(csv.utf8), headers: ["content-type": "text/csv"])
        case "application/pdf":
            var lines = ["Statement of \(kind == .managedCards ? "card" : "account") \(instrument.id) (\(currency))",
                         "Opening balance: \(openingBalance)", ""]
            for (entry, after) in page {
                lines.append("\(entry.id)  \(entry.timestamp)  \(entry.type)  \(entry.description)  \(entry.adjustment)  balance \(after)")
            }
            lines += ["", "Closing balance: \(closingBalance)"]
            return SimulatorReply(status: 200, body: SimplePDF.document(lines: lines), headers: ["content-type": "application/pdf"])
        default:
            let money = { (amount: Int64) -> [String: Any] in ["currency": currency, "amount": amount] }
            return .json(200, [
                "openingBalance": money(openingBalance),
                "closingBalance": money(closingBalance),
                "entries": page.map { entry, after -> [String: Any] in
                    [
                        "entryId": entry.id,
                        "transaction": ["id": entry.id, "type": entry.type],
                        "description": entry.description,
                        "timestamp": entry.timestamp,
                        "balanceAdjustment": money(entry.adjustment),
                        "balanceAfter": money(after),
                        "counterparty": entry.counterparty,
                    ]
                },
                "count": selected.count,
                "responseCount": page.count,
                "footer": "Simulated statement. Not a regulatory document.",
            ])
        }
    }

    /// The format an `accept` header asks for: the first of CSV or PDF it names, otherwise JSON.
    static func statementFormat(_ accept: String?) -> String {
        for part in (accept ?? "").split(separator: ",") {
            let type = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if type == "text/csv" || type == "application/pdf" { return type }
            if type == "application/json" { return type }
        }
        return "application/json"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Completed transfers and settled card payments of `instrument`.
    func postedEntries(of instrument: SimulatedInstrumentRef) -> [StatementEntry] {
        var entries: [StatementEntry] = []
        for transfer in transfers where transfer.state == "COMPLETED" && (transfer.source == instrument || transfer.destination == instrument) {
            let outgoing = transfer.source == instrument
            let other = outgoing ? transfer.destination : transfer.source
            entries.append(StatementEntry(
                id: transfer.id, type: "transfers", timestamp: transfer.executionTimestamp ?? transfer.creationTimestamp,
                adjustment: outgoing ? -transfer.amount : transfer.amount,
                description: transfer.description ?? (outgoing ? "Transfer out" : "Transfer in"),
                counterparty: ["id": other.id, "type": other.kind.rawValue]
            ))
        }
        if instrument.kind == .managedCards {
            for payment in cardPayments where payment.cardID == instrument.id && payment.status == "SETTLED" {
                entries.append(StatementEntry(
                    id: payment.id, type: "card_payments", timestamp: payment.settlementTimestamp ?? payment.lastUpdatedTimestamp,
                    adjustment: -payment.amount, description: payment.merchant.name,
                    counterparty: ["name": payment.merchant.name]
                ))
            }
        }
        return entries
    }
}

/// The smallest valid PDF that shows lines of text (Helvetica 9 pt, 70 lines a page): what the simulator
/// answers for `accept: application/pdf`.
enum SimplePDF {
    static func document(lines: [String]) -> [UInt8] {
        let pages = stride(from: 0, to: max(lines.count, 1), by: 70).map { Array(lines[$0..<min(lines.count, $0 + 70)]) }
        var objects: [String] = []
        let pageIDs = pages.indices.map { 4 + $0 * 2 }
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        objects.append("<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for (index, page) in pages.enumerated() {
            var content = "BT /F1 9 Tf 40 800 Td 11 TL\n"
            for line in page { content += "(\(escape(line))) Tj T*\n" }
            content += "ET"
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents \(pageIDs[index] + 1) 0 R >>")
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
        }
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    /// PDF string escapes; anything outside printable ASCII becomes "?".
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "(", ")", "\\": out += "\\" + String(scalar)
            case " "..."~": out.unicodeScalars.append(scalar)
            default: out += "?"
            }
        }
        return out
    }
}
