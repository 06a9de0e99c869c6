import Foundation

/// Checks a decoded JSON object field by field and collects Weavr-style `invalidFields`.
struct FieldValidator {
    private(set) var invalidFields: [InvalidField] = []
    let object: [String: Any]
    let prefix: String

    init(_ object: [String: Any], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    var isValid: Bool { invalidFields.isEmpty }

    private func name(_ field: String) -> String { prefix.isEmpty ? field : "\(prefix).\(field)" }

    mutating func fail(_ field: String, _ error: String, _ params: [String] = []) {
        invalidFields.append(InvalidField(fieldName: name(field), error: error, params: params))
    }

    /// A string field with length bounds, optional regex and allowed values. Returns the value when valid.
    @discardableResult
    mutating func string(
        _ field: String, required: Bool = false, minLength: Int = 0, maxLength: Int = .max,
        pattern: String? = nil, allowed: [String]? = nil
    ) -> String? {
        guard let raw = object[field], !(raw is NSNull) else {
            if required { fail(field, "REQUIRED") }
            return nil
        }
        guard let value = raw as? String else {
            fail(field, "REGEX", ["string"])
            return nil
        }
        if required && minLength > 0 && value.trimmingCharacters(in: .whitespaces).isEmpty {
            fail(field, "HAS_TEXT")
            return nil
        }
        if value.count < minLength || value.count > maxLength {
            fail(field, "SIZE", [String(minLength), maxLength == .max ? "" : String(maxLength)])
            return nil
        }
        if let allowed, !allowed.contains(value) {
            fail(field, "IN", allowed)
            return nil
        }
        if let pattern, value.range(of: pattern, options: .regularExpression) == nil {
            fail(field, "REGEX", [pattern])
            return nil
        }
        return value
    }

    /// A nested object field; returns it when present and an object.
    mutating func object(_ field: String, required: Bool = false) -> [String: Any]? {
        guard let raw = object[field], !(raw is NSNull) else {
            if required { fail(field, "REQUIRED") }
            return nil
        }
        guard let value = raw as? [String: Any] else {
            fail(field, "REGEX", ["object"])
            return nil
        }
        return value
    }

    /// A boolean field.
    mutating func bool(_ field: String) -> Bool? {
        guard let raw = object[field], !(raw is NSNull) else { return nil }
        guard let value = raw as? Bool else {
            fail(field, "REGEX", ["boolean"])
            return nil
        }
        return value
    }

    /// Merges the findings of a validator for a nested object.
    mutating func merge(_ other: FieldValidator) {
        invalidFields.append(contentsOf: other.invalidFields)
    }

    /// Weavr's address rules (`BillingAddress`).
    static func billingAddress(_ address: [String: Any], field: String) -> FieldValidator {
        var check = FieldValidator(address, prefix: field)
        check.string("addressLine1", required: true, minLength: 1, maxLength: 150)
        check.string("addressLine2", maxLength: 150)
        check.string("city", required: true, minLength: 1, maxLength: 50)
        check.string("postCode", required: true, minLength: 1, maxLength: 10, pattern: "^[A-Za-z0-9 -]*$")
        check.string("state", maxLength: 50)
        check.string("country", required: true, minLength: 2, maxLength: 2, pattern: "^[A-Z]+$")
        return check
    }

    static let emailPattern = #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#
    static let tagPattern = "^[a-zA-Z0-9_-]+$"
    static let idPattern = "^[0-9]+$"
    /// Letters (incl. Latin accents), digits, space and `.-'^`, per `nameOnCard` in the spec (simplified).
    static let nameOnCardPattern = #"^[\p{L}0-9 .'^-]*$"#
}
