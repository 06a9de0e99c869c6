/// What of a Weavr error body may travel further: Weavr's error bodies echo input and free text, so only
/// values of a strict grammar are kept (issue: an upstream 403/409/400 carrying a key, token or PAN must
/// never reach a client, a log line or an audit row). Everything else becomes nil or a generic value.
public enum WeavrVetting {
    /// A Weavr error code: `^[A-Z][A-Z0-9_]{0,63}$` (`STEP_UP_REQUIRED`, `INSTRUMENT_ALREADY_BLOCKED`).
    public static func code(_ text: String?) -> String? {
        guard let text, let first = text.utf8.first, first >= 0x41 && first <= 0x5A, text.utf8.count <= 64 else { return nil }
        let valid = text.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
        }
        return valid ? text : nil
    }

    /// A field path of a 400 (`billingAddress.country`, `[3].requestBody.email`): letters, digits, `_`, `.`,
    /// `[`, `]`, at most 128 bytes; anything else is "?" (no field the gateway maps).
    public static func fieldName(_ text: String) -> String {
        let valid = !text.isEmpty && text.utf8.count <= 128 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x5B || byte == 0x5D
        }
        return valid ? text : "?"
    }

    /// Weavr's `request-ref` header: letters, digits, `-`, `_`, `.`, at most 64 bytes; else nil.
    public static func requestRef(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text.utf8.count <= 64 else { return nil }
        let valid = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        return valid ? text : nil
    }

    /// One `invalidFields` entry with its name and error vetted and its `params` (which may echo input) dropped.
    static func invalidField(_ field: WeavrInvalidField) -> WeavrInvalidField {
        WeavrInvalidField(fieldName: fieldName(field.fieldName), error: code(field.error) ?? "INVALID")
    }
}
