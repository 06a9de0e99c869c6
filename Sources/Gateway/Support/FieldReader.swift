import Foundation
import NIOFreeHTTP

/// Reads the fields of one JSON object (a request body, a nested object or an item of a list) and records
/// every failure under its public name, prefixed for nested fields (`billingAddress.line1`, `users[3].email`).
/// The one body reader of the `/v1` API.
struct FieldReader {
    let object: [String: Any]
    /// Put before every field name, e.g. `users[3].`.
    let prefix: String
    private(set) var invalid: [Problem.InvalidField] = []

    init(_ object: [String: Any], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    /// Parses `request.body` as a JSON object (413 over `maxBytes`, 415 unless `application/json`, 400
    /// unless an object). Routes on the `/v1` path have their body capped already.
    init(request: HTTPRequest, maxBytes: Int = 1024 * 1024) throws(Problem) {
        if request.body.count > maxBytes { throw Problem(.payloadTooLarge, detail: "body over \(maxBytes) bytes") }
        let type = request.headers["content-type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else { throw Problem(.unsupportedMediaType, detail: "send application/json") }
        guard let value = try? JSONSerialization.jsonObject(with: Data(request.body)), let object = value as? [String: Any] else {
            throw Problem(.badRequest, detail: "body is not a JSON object")
        }
        self.init(object)
    }

    func has(_ name: String) -> Bool {
        guard let value = object[name] else { return false }
        return !(value is NSNull)
    }

    mutating func fail(_ name: String, _ reason: String) {
        invalid.append(.init(name: prefix + name, reason: reason))
    }

    /// A nested object read with its own prefix (`billingAddress.`); nil (and a failure when `required`)
    /// when absent or not an object.
    mutating func object(_ name: String, required: Bool) -> FieldReader? {
        guard has(name) else {
            if required { fail(name, "required") }
            return nil
        }
        guard let nested = object[name] as? [String: Any] else {
            fail(name, "must be an object")
            return nil
        }
        return FieldReader(nested, prefix: prefix + name + ".")
    }

    /// Adds a nested reader's failures (it carries its own prefix).
    mutating func merge(_ other: FieldReader) {
        invalid.append(contentsOf: other.invalid)
    }

    /// A required string of `length` characters.
    mutating func string(_ name: String, length: ClosedRange<Int>) -> String? {
        guard has(name) else {
            fail(name, "required")
            return nil
        }
        return optionalString(name, length: length)
    }

    /// An optional string of `length` characters (absent or null → nil).
    mutating func optionalString(_ name: String, length: ClosedRange<Int>) -> String? {
        guard has(name) else { return nil }
        guard let text = object[name] as? String else {
            fail(name, "must be a string")
            return nil
        }
        guard length.contains(text.count) else {
            fail(name, "length must be \(length.lowerBound)…\(length.upperBound)")
            return nil
        }
        return text
    }

    /// A required whole number in `range` (a JSON number without fraction; not a string, not a boolean).
    mutating func integer(_ name: String, range: ClosedRange<Int64>) -> Int64? {
        guard has(name) else {
            fail(name, "required")
            return nil
        }
        guard let number = object[name] as? NSNumber, !Self.isBoolean(number), let value = Self.whole(number) else {
            fail(name, "must be a whole number")
            return nil
        }
        guard range.contains(value) else {
            fail(name, "must be \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    /// JSONSerialization gives `true`/`false` as numbers too (type code `c`); tell them apart.
    static func isBoolean(_ number: NSNumber) -> Bool {
        number.objCType.pointee == 0x63 || String(describing: type(of: number)).contains("Boolean")
    }

    /// The number as a whole `Int64`: integers as they are, `1e3` as 1000, `1.5` and out-of-range values nil.
    private static func whole(_ number: NSNumber) -> Int64? {
        switch number.objCType.pointee {
        case 0x64, 0x66:  // d, f
            let double = number.doubleValue
            guard double.isFinite, double.rounded() == double, abs(double) < 9.0e15 else { return nil }
            return Int64(double)
        default:
            return number.int64Value
        }
    }

    /// An optional object (absent or null → nil).
    mutating func optionalObject(_ name: String) -> [String: Any]? {
        guard has(name) else { return nil }
        guard let value = object[name] as? [String: Any] else {
            fail(name, "must be an object")
            return nil
        }
        return value
    }

    /// A required array of `count` elements.
    mutating func array(_ name: String, count: ClosedRange<Int>) -> [Any]? {
        guard has(name) else {
            fail(name, "required")
            return nil
        }
        return optionalArray(name, count: count)
    }

    /// An optional array of `count` elements (absent or null → nil).
    mutating func optionalArray(_ name: String, count: ClosedRange<Int>) -> [Any]? {
        guard has(name) else { return nil }
        guard let values = object[name] as? [Any] else {
            fail(name, "must be an array")
            return nil
        }
        guard count.contains(values.count) else {
            fail(name, "must have \(count.lowerBound)…\(count.upperBound) elements")
            return nil
        }
        return values
    }

    /// Throws `validation_failed` listing every recorded failure (at most `limit`, so a 10,000-item body
    /// cannot produce a megabyte of problem).
    func validate(limit: Int = 100) throws(Problem) {
        if !invalid.isEmpty { throw Problem(.validationFailed, invalidFields: Array(invalid.prefix(limit))) }
    }

    /// True for `^[0-9]{1,32}$`: Weavr's numeric ids.
    static func isNumericID(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
