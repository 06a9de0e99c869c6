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

    /// A whole-number field (spec `type: integer, format: int64`); booleans and fractions fail, and so do
    /// values below `minimum` (RANGE).
    mutating func integer(_ field: String, required: Bool = false, minimum: Int64? = nil) -> Int64? {
        guard let raw = object[field], !(raw is NSNull) else {
            if required { fail(field, "REQUIRED") }
            return nil
        }
        guard let value = FieldValidator.wholeNumber(raw) else {
            fail(field, "REGEX", ["integer"])
            return nil
        }
        if let minimum, value < minimum {
            fail(field, "RANGE", [String(minimum)])
            return nil
        }
        return value
    }

    /// An array of strings (spec `type: array, maxItems`, items with an optional pattern); each bad item is
    /// reported as `field[index]`.
    mutating func stringArray(_ field: String, maxItems: Int, itemPattern: String? = nil) -> [String]? {
        guard let items = array(field, maxItems: maxItems) else { return nil }
        var values: [String] = []
        for (index, item) in items.enumerated() {
            guard let value = item as? String else {
                fail("\(field)[\(index)]", "REGEX", ["string"])
                continue
            }
            if let itemPattern, value.range(of: itemPattern, options: .regularExpression) == nil {
                fail("\(field)[\(index)]", "REGEX", [itemPattern])
                continue
            }
            values.append(value)
        }
        return values.count == items.count ? values : nil
    }

    /// An array field of any items, at most `maxItems` (SIZE).
    mutating func array(_ field: String, maxItems: Int = .max) -> [Any]? {
        guard let raw = object[field], !(raw is NSNull) else { return nil }
        guard let items = raw as? [Any] else {
            fail(field, "REGEX", ["array"])
            return nil
        }
        guard items.count <= maxItems else {
            fail(field, "SIZE", ["0", String(maxItems)])
            return nil
        }
        return items
    }

    /// The value as an `Int64` when it is a JSON integer (not a boolean, not a fraction).
    static func wholeNumber(_ raw: Any) -> Int64? {
        // JSONSerialization gives NSNumber: its type code tells booleans ("c"/"B") and doubles apart.
        if type(of: raw) is NSNumber.Type, let number = raw as? NSNumber {
            switch String(cString: number.objCType) {
            case "c", "B": return nil
            case "d", "f":
                let double = number.doubleValue
                return double == double.rounded() && abs(double) < 9e15 ? Int64(double) : nil
            default: return number.int64Value
            }
        }
        if let value = raw as? Int64 { return value }
        if let value = raw as? Int { return Int64(value) }
        return nil
    }

    /// A nested `InstrumentId` object `{id, type}` (`type` is `managed_cards` or `managed_accounts`).
    mutating func instrument(_ field: String, required: Bool = false) -> SimulatedInstrumentRef? {
        guard let value = object(field, required: required) else { return nil }
        var nested = FieldValidator(value, prefix: name(field))
        let id = nested.string("id", required: true, pattern: FieldValidator.idPattern)
        let kind = nested.string("type", required: true, allowed: SimulatedInstrumentRef.Kind.allCases.map(\.rawValue))
        merge(nested)
        guard let id, let kind = kind.flatMap(SimulatedInstrumentRef.Kind.init(rawValue:)) else { return nil }
        return SimulatedInstrumentRef(id: id, kind: kind)
    }

    /// A nested `CurrencyAmount` object `{currency, amount}`.
    mutating func currencyAmount(_ field: String, required: Bool = false) -> (currency: String, amount: Int64)? {
        guard let value = object(field, required: required) else { return nil }
        var nested = FieldValidator(value, prefix: name(field))
        let currency = nested.string("currency", required: true, minLength: 3, maxLength: 3, pattern: FieldValidator.currencyPattern)
        let amount = nested.integer("amount", required: true)
        merge(nested)
        guard let currency, let amount else { return nil }
        return (currency, amount)
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

    /// Weavr's `DeliveryAddress` rules (physical card upgrade).
    static func deliveryAddress(_ address: [String: Any], field: String) -> FieldValidator {
        var check = FieldValidator(address, prefix: field)
        check.string("name", required: true, minLength: 1, maxLength: 100)
        check.string("surname", required: true, minLength: 1, maxLength: 100)
        check.string("addressLine1", required: true, minLength: 1, maxLength: 50)
        check.string("addressLine2", minLength: 1, maxLength: 50)
        check.string("city", required: true, minLength: 1, maxLength: 50)
        check.string("postCode", required: true, minLength: 1, maxLength: 10, pattern: "^[A-Za-z0-9 -]*$")
        check.string("state", maxLength: 50)
        check.string("country", required: true, minLength: 2, maxLength: 2, pattern: "^[A-Z]+$")
        return check
    }

    static let emailPattern = #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#
    static let tagPattern = "^[a-zA-Z0-9_-]+$"
    static let idPattern = "^[0-9]+$"
    /// ISO 4217 code, as the spec's `Currency` (with its 3-character length).
    static let currencyPattern = "^[A-Z]*$"
    /// The spec's transaction `description` characters (`CreateTransferRequest.description`).
    static let descriptionPattern = #"^[a-zA-Z0-9/\-?:().$_,'+\s#=!"%&*<>;\{@\r\n]*$"#
    /// Letters (incl. Latin accents), digits, space and `.-'^`, per `nameOnCard` in the spec (simplified).
    static let nameOnCardPattern = #"^[\p{L}0-9 .'^-]*$"#
}
