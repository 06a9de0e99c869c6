import Foundation

/// Checks a response against the served OpenAPI document: the operation is found by method and path
/// template, the status must be documented (or fall under `default`), the content type must be one the
/// response lists, and the body must match its schema.
///
/// The schema check covers the JSON Schema the document uses: `$ref`, `type` (one or a list), `enum`,
/// `properties`, `required`, `additionalProperties`, `items`, `minItems`/`maxItems`, `uniqueItems`,
/// `minLength`/`maxLength`, `pattern`, `minimum`/`maximum`, `format: date-time`, `oneOf`/`anyOf`/`allOf`.
/// A keyword it does not know fails the check, so the document cannot drift past it unchecked.
struct OpenAPIValidator: @unchecked Sendable {  // the parsed document is never mutated
    let document: [String: Any]

    init(json: [UInt8]) throws {
        guard let document = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
            throw HarnessError("the OpenAPI document is not a JSON object")
        }
        self.document = document
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Every way the response differs from the document; empty when it conforms.
    func check(method: String, target: String, status: Int, contentType: String?, body: [UInt8]) -> [String] {
        let path = String(target.prefix { $0 != "?" })
        let where_ = "\(method) \(path) → \(status)"
        let paths = document["paths"] as? [String: Any] ?? [:]
        guard let template = Self.template(for: path, among: Array(paths.keys)), let item = paths[template] as? [String: Any] else {
            // The router's 404: not an operation, but still the documented problem shape.
            guard status == 404 else { return ["\(where_): no documented path matches, so the answer must be 404"] }
            return problem(where_, contentType: contentType, body: body)
        }
        let lower = method.lowercased()
        guard let operation = item[lower] as? [String: Any] else {
            if method == "HEAD", item["get"] != nil { return [] }
            if method == "OPTIONS" {  // a CORS preflight (204) or its refusal
                return status == 204 ? [] : problem(where_, contentType: contentType, body: body)
            }
            guard status == 405 else { return ["\(where_): \(template) has no \(lower) operation, so the answer must be 405"] }
            return problem(where_, contentType: contentType, body: body)
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard var response = (responses[String(status)] ?? responses["\(status / 100)XX"] ?? responses["default"]) as? [String: Any] else {
            return ["\(where_): status not documented for \(template)"]
        }
        if let ref = response["$ref"] as? String {
            guard let resolved = resolve(ref) else { return ["\(where_): unresolvable \(ref)"] }
            response = resolved
        }
        guard let content = response["content"] as? [String: Any], !content.isEmpty else {
            return body.isEmpty || method == "HEAD" ? [] : ["\(where_): documented without a body, but \(body.count) bytes came"]
        }
        if method == "HEAD" { return [] }
        let mediaType = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let media = content[mediaType] as? [String: Any] else {
            return ["\(where_): content type \(contentType ?? "none") not among \(content.keys.sorted())"]
        }
        guard let schema = media["schema"] else { return [] }
        // A file (a statement's CSV or PDF) is the schema's binary string: any bytes.
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else { return [] }
        guard let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return ["\(where_): the body is not JSON"]
        }
        return validate(value, schema, at: "body").map { "\(where_): \($0)" }
    }

    private func problem(_ where_: String, contentType: String?, body: [UInt8]) -> [String] {
        guard contentType?.hasPrefix("application/problem+json") == true else {
            return ["\(where_): expected application/problem+json, got \(contentType ?? "none")"]
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(body)) else { return ["\(where_): the body is not JSON"] }
        return validate(value, ["$ref": "#/components/schemas/Problem"], at: "body").map { "\(where_): \($0)" }
    }

    /// The most specific template matching `path` (literal segments beat `{parameters}`, as in the router).
    static func template(for path: String, among templates: [String]) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (template: String, literals: Int)?
        for template in templates {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            var literals = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") {
                    if segment.isEmpty { matches = false; break }
                } else if part == segment {
                    literals += 1
                } else {
                    matches = false
                    break
                }
            }
            if matches, literals > (best?.literals ?? -1) { best = (template, literals) }
        }
        return best?.template
    }

    /// `#/components/...` → the object it names.
    func resolve(_ ref: String) -> [String: Any]? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let object = node as? [String: Any], let next = object[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    static let annotations: Set<String> = ["description", "title", "default", "example", "examples", "readOnly", "writeOnly", "deprecated"]

    /// Every failure of `value` against `schema`, each naming the JSON location.
    func validate(_ value: Any, _ schemaValue: Any, at location: String) -> [String] {
        if let flag = schemaValue as? Bool { return flag ? [] : ["\(location): no value is allowed here"] }
        guard let schema = schemaValue as? [String: Any] else { return ["\(location): the schema is not an object"] }
        var failures: [String] = []
        for key in schema.keys.sorted() {
            let rule = schema[key]!
            switch key {
            case "$ref":
                guard let ref = rule as? String, let target = resolve(ref) else { failures.append("\(location): unresolvable \(rule)"); continue }
                failures += validate(value, target, at: location)
            case "type":
                let types = (rule as? [String]) ?? [(rule as? String) ?? ""]
                if !types.contains(where: { Self.isOfType(value, $0) }) {
                    failures.append("\(location): \(Self.describe(value)) is not of type \(types.joined(separator: "|"))")
                }
            case "enum":
                let allowed = rule as? [Any] ?? []
                if !allowed.contains(where: { Self.equal($0, value) }) {
                    failures.append("\(location): \(Self.describe(value)) is not one of the documented values")
                }
            case "const":
                if !Self.equal(rule, value) { failures.append("\(location): \(Self.describe(value)) is not the documented constant") }
            case "properties":
                guard let object = value as? [String: Any], let properties = rule as? [String: Any] else { continue }
                for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                    if let memberSchema = properties[name] { failures += validate(member, memberSchema, at: "\(location).\(name)") }
                }
            case "required":
                guard let object = value as? [String: Any] else { continue }
                for name in rule as? [String] ?? [] where object[name] == nil {
                    failures.append("\(location): required member \(name) is missing")
                }
            case "additionalProperties":
                guard let object = value as? [String: Any] else { continue }
                let declared = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
                for (name, member) in object.sorted(by: { $0.key < $1.key }) where !declared.contains(name) {
                    if rule as? Bool == false {
                        failures.append("\(location): member \(name) is not documented")
                    } else {
                        failures += validate(member, rule, at: "\(location).\(name)")
                    }
                }
            case "items":
                guard let array = value as? [Any] else { continue }
                for (index, item) in array.enumerated() { failures += validate(item, rule, at: "\(location)[\(index)]") }
            case "minItems", "maxItems":
                guard let array = value as? [Any], let bound = rule as? Int else { continue }
                if key == "minItems" ? array.count < bound : array.count > bound { failures.append("\(location): \(array.count) items breaks \(key) \(bound)") }
            case "uniqueItems":
                guard let array = value as? [Any], rule as? Bool == true else { continue }
                for i in array.indices { for j in array.indices where j > i && Self.equal(array[i], array[j]) { failures.append("\(location): items \(i) and \(j) are equal") } }
            case "minLength", "maxLength":
                guard let text = value as? String, let bound = rule as? Int else { continue }
                let length = text.unicodeScalars.count
                if key == "minLength" ? length < bound : length > bound { failures.append("\(location): length \(length) breaks \(key) \(bound)") }
            case "minProperties":
                guard let object = value as? [String: Any], let bound = rule as? Int else { continue }
                if object.count < bound { failures.append("\(location): \(object.count) members breaks minProperties \(bound)") }
            case "pattern":
                guard let text = value as? String, let pattern = rule as? String else { continue }
                guard let regex = try? NSRegularExpression(pattern: pattern) else { failures.append("\(location): bad pattern \(pattern)"); continue }
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    failures.append("\(location): \"\(text)\" does not match \(pattern)")
                }
            case "minimum", "maximum":
                guard let number = Self.number(value), let bound = (rule as? NSNumber)?.doubleValue else { continue }
                if key == "minimum" ? number < bound : number > bound { failures.append("\(location): \(number) breaks \(key) \(bound)") }
            case "format":
                guard let text = value as? String else { continue }
                if rule as? String == "date-time", !Self.isDateTime(text) { failures.append("\(location): \"\(text)\" is not an RFC 3339 date-time") }
            case "oneOf":
                let matching = (rule as? [Any] ?? []).filter { validate(value, $0, at: location).isEmpty }.count
                if matching != 1 { failures.append("\(location): matches \(matching) of oneOf, not exactly one") }
            case "anyOf":
                if !(rule as? [Any] ?? []).contains(where: { validate(value, $0, at: location).isEmpty }) {
                    failures.append("\(location): matches none of anyOf")
                }
            case "allOf":
                for part in rule as? [Any] ?? [] { failures += validate(value, part, at: location) }
            default:
                if !Self.annotations.contains(key) { failures.append("\(location): the validator does not know the keyword \(key)") }
            }
        }
        return failures
    }

    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func number(_ value: Any) -> Double? {
        guard !isBoolean(value), let number = value as? NSNumber else { return nil }
        return number.doubleValue
    }

    static func isOfType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "boolean": return isBoolean(value)
        case "integer": return number(value).map { $0.rounded() == $0 } ?? false
        case "number": return number(value) != nil
        case "string": return value is String
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if a is NSNull || b is NSNull { return a is NSNull && b is NSNull }
        if let a = a as? String { return (b as? String) == a }
        if isBoolean(a) || isBoolean(b) { return isBoolean(a) && isBoolean(b) && (a as? NSNumber) == (b as? NSNumber) }
        if let a = number(a), let b = number(b) { return a == b }
        return NSDictionary(dictionary: ["v": a]).isEqual(to: ["v": b])
    }

    static func describe(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let text = value as? String { return "\"\(text.prefix(60))\"" }
        if isBoolean(value) { return "boolean \(value)" }
        if value is NSNumber { return "number \(value)" }
        if value is [Any] { return "an array" }
        return "an object"
    }

    /// RFC 3339 `date-time` (what `format: date-time` means in JSON Schema).
    static func isDateTime(_ text: String) -> Bool {
        let pattern = #"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#
        return text.range(of: pattern, options: .regularExpression) != nil
    }
}
