import Foundation
import NIOFreeHTTP

/// A JSON object from a request body, read field by field with failures collected by public name; nested
/// objects are read with a dotted prefix (`billingAddress.line1`). `JSONBody` does the same for flat bodies.
struct BodyFields {
    private let object: [String: Any]
    private let prefix: String
    var invalid: [Problem.InvalidField] = []

    /// Parses `request.body` (already capped by the route's `bodyLimit`) as a JSON object.
    init(_ request: HTTPRequest) throws(Problem) {
        let type = request.headers["content-type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, detail: "send application/json")
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(request.body)), let object = value as? [String: Any] else {
            throw Problem(.badRequest, detail: "body is not a JSON object")
        }
        self.init(object: object, prefix: "")
    }

    private init(object: [String: Any], prefix: String) {
        self.object = object
        self.prefix = prefix
    }

    func name(_ field: String) -> String { prefix.isEmpty ? field : prefix + "." + field }

    /// True when `field` is present and not null.
    func has(_ field: String) -> Bool {
        guard let value = object[field] else { return false }
        return !(value is NSNull)
    }

    /// A required string of `length` characters; nil (and a failure) otherwise.
    mutating func string(_ field: String, length: ClosedRange<Int>) -> String? {
        guard has(field) else {
            fail(field, "required")
            return nil
        }
        return optionalString(field, length: length)
    }

    /// An optional string of `length` characters; nil when absent, null or invalid.
    mutating func optionalString(_ field: String, length: ClosedRange<Int>) -> String? {
        guard has(field), let value = object[field] else { return nil }
        guard let text = value as? String else {
            fail(field, "must be a string")
            return nil
        }
        guard length.contains(text.count) else {
            fail(field, "length must be \(length.lowerBound)…\(length.upperBound)")
            return nil
        }
        return text
    }

    /// A nested object read with its own prefix; nil (and a failure when `required`) when absent or not an object.
    mutating func object(_ field: String, required: Bool) -> BodyFields? {
        guard has(field) else {
            if required { fail(field, "required") }
            return nil
        }
        guard let nested = object[field] as? [String: Any] else {
            fail(field, "must be an object")
            return nil
        }
        return BodyFields(object: nested, prefix: name(field))
    }

    /// Adds the failures of a nested reader.
    mutating func merge(_ nested: BodyFields) {
        invalid.append(contentsOf: nested.invalid)
    }

    mutating func fail(_ field: String, _ reason: String) {
        invalid.append(.init(name: name(field), reason: reason))
    }

    /// Throws `validation_failed` listing every recorded failure.
    func validate() throws(Problem) {
        if !invalid.isEmpty { throw Problem(.validationFailed, invalidFields: invalid) }
    }
}
