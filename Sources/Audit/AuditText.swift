/// Cleaning of the free-text fields of an audit row.
enum AuditText {
    /// `text` without control characters (C0, DEL, C1 — no log or CSV line injection),
    /// cut to at most `maxLength` characters.
    static func clean(_ text: String, maxLength: Int) -> String {
        // Printable ASCII within the limit (nearly every value) is already clean.
        if text.utf8.count <= maxLength, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) { continue }
            guard count < maxLength else { break }
            result.append(scalar)
            count += 1
        }
        return String(result)
    }

    /// `clean(text, maxLength:)`, or `nil` for `nil` or a result that is empty.
    static func clean(_ text: String?, maxLength: Int) -> String? {
        guard let text else { return nil }
        let cleaned = clean(text, maxLength: maxLength)
        return cleaned.isEmpty ? nil : cleaned
    }
}
