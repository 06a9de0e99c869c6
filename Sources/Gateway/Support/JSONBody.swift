import Foundation
import NIOFreeHTTP

/// A request's JSON object body, with typed accessors that collect validation failures by public field name.
struct JSONBody {
    private let object: [String: Any]
    private(set) var invalid: [Problem.InvalidField] = []

    /// Parses `request.body` as a JSON object; `maxBytes` is the route's own limit.
    init(_ request: HTTPRequest, maxBytes: Int = 64 * 1024) throws(Problem) {
        if request.body.count > maxBytes { throw Problem(.payloadTooLarge, detail: "body over \(maxBytes) bytes") }
        let type = request.headers["content-type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, detail: "send application/json")
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(request.body)), let object = value as? [String: Any] else {
            throw Problem(.badRequest, detail: "body is not a JSON object")
        }
        self.object = object
    }

    /// A required string of `length` characters; records a failure and returns "" otherwise.
    mutating func string(_ name: String, length: ClosedRange<Int>) -> String {
        guard let value = object[name] else {
            invalid.append(.init(name: name, reason: "required"))
            return ""
        }
        return check(name, value, length: length) ?? ""
    }

    /// An optional string of `length` characters.
    mutating func optionalString(_ name: String, length: ClosedRange<Int>) -> String? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        return check(name, value, length: length)
    }

    mutating func fail(_ name: String, _ reason: String) {
        invalid.append(.init(name: name, reason: reason))
    }

    private mutating func check(_ name: String, _ value: Any, length: ClosedRange<Int>) -> String? {
        guard let text = value as? String else {
            invalid.append(.init(name: name, reason: "must be a string"))
            return nil
        }
        guard length.contains(text.count) else {
            invalid.append(.init(name: name, reason: "length must be \(length.lowerBound)…\(length.upperBound)"))
            return nil
        }
        return text
    }

    /// Throws `validation_failed` listing every recorded failure.
    func validate() throws(Problem) {
        if !invalid.isEmpty { throw Problem(.validationFailed, invalidFields: invalid) }
    }
}
