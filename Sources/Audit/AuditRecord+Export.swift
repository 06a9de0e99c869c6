import GatewayCore

extension AuditRecord {
    /// The fields in `fieldNames` order; `details` as its JSON text.
    var exportedValues: [ExportedValue] {
        [
            .integer(seq), .integer(time), .text(tenant), .text(actor), .text(sessionHash), .text(action), .text(target),
            .text(outcome), .integer(httpStatus), .integer(upstreamStatus), .text(upstreamRequestRef), .text(requestID),
            .text(clientIP), .text(userAgent), .json(details), .text(prevHash), .text(hash),
        ]
    }

    enum ExportedValue {
        case integer(Int64?)
        case text(String?)
        /// Already JSON text (the details object).
        case json(String)
    }

    /// Appends this row as one JSON object and `\n`; field names as in `fieldNames`, NULL as `null`.
    public func appendNDJSON(to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, (name, value)) in zip(Self.fieldNames, exportedValues).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONString.appendQuoted(name, to: &output)
            output.append(UInt8(ascii: ":"))
            switch value {
            case .integer(let integer?): output.append(contentsOf: Array(String(integer).utf8))
            case .text(let text?): JSONString.appendQuoted(text, to: &output)
            case .json(let json): output.append(contentsOf: Array(json.utf8))
            case .integer(nil), .text(nil): output.append(contentsOf: Array("null".utf8))
            }
        }
        output.append(contentsOf: [UInt8(ascii: "}"), 0x0A])
    }

    /// Appends this row as one RFC 4180 CSV record ending in CRLF; NULL as an empty field.
    public func appendCSV(to output: inout [UInt8]) {
        for (index, value) in exportedValues.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            switch value {
            case .integer(let integer?): output.append(contentsOf: Array(String(integer).utf8))
            case .text(let text?): Self.appendCSVField(text, neutralizingFormula: true, to: &output)
            case .json(let json): Self.appendCSVField(json, neutralizingFormula: false, to: &output)
            case .integer(nil), .text(nil): break
            }
        }
        output.append(contentsOf: [0x0D, 0x0A])
    }

    /// RFC 4180 §2: a field with a comma, quote, CR or LF is quoted and its quotes doubled.
    /// OWASP "CSV Injection": a text field starting with `= + - @` (or tab, CR) gets a `'`
    /// in front, so a spreadsheet does not evaluate it.
    private static func appendCSVField(_ text: String, neutralizingFormula: Bool, to output: inout [UInt8]) {
        var bytes = Array(text.utf8)
        if neutralizingFormula, let first = bytes.first,
            [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first)
        {
            bytes.insert(UInt8(ascii: "'"), at: 0)
        }
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else {
            output.append(contentsOf: bytes)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }
}
