import Foundation
import GatewayCore

/// A simulated Weavr answer before it becomes an `HTTPResponse`: status, optional JSON body, extra headers.
struct SimulatorReply: Sendable, Equatable {
    var status: Int
    var body: [UInt8]
    var headers: [String: String] = [:]
    /// A bulk process that must start (or continue) running once the state lock is released.
    var bulkToRun: String?
    /// The run generation `bulkToRun` must carry.
    var bulkGeneration = 0

    init(status: Int, body: [UInt8] = [], headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// A JSON body from `JSONSerialization`-compatible values.
    static func json(_ status: Int, _ object: Any) -> SimulatorReply {
        SimulatorReply(status: status, body: JSONBody.encode(object))
    }

    /// No body (401, 403 on login, 423, 429, 5xx, and 204).
    static func empty(_ status: Int) -> SimulatorReply {
        SimulatorReply(status: status)
    }

    /// Weavr's `{"errorCode": "…"}` body (403 and 409 answers).
    static func errorCode(_ status: Int, _ code: String) -> SimulatorReply {
        json(status, ["errorCode": code])
    }

    /// Weavr's 404 `Error` body `{code, message}`.
    static func notFound(_ what: String) -> SimulatorReply {
        json(404, ["code": "NOT_FOUND", "message": "\(what) not found"])
    }

    /// Weavr's 400 `{message?, syntaxErrors: {invalidFields: [...]}}`.
    static func badRequest(_ fields: [InvalidField]) -> SimulatorReply {
        json(400, [
            "message": "Bad request",
            "syntaxErrors": ["invalidFields": fields.map { ["fieldName": $0.fieldName, "error": $0.error, "params": $0.params] }],
        ])
    }

    static let unauthorized = SimulatorReply.empty(401)
}

/// One entry of Weavr's `syntaxErrors.invalidFields`.
struct InvalidField: Sendable, Equatable {
    var fieldName: String
    /// REQUIRED, HAS_TEXT, SIZE, RANGE, IN, REGEX, …
    var error: String
    var params: [String] = []
}

/// JSON encoding and decoding with Foundation.
enum JSONBody {
    static func encode(_ object: Any) -> [UInt8] {
        // A direct encoder: Foundation's JSONSerialization bridges every dictionary through NSDictionary on
        // Linux (and sorts keys with ICU when asked), which made it ~75% of a card GET's cost.
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        guard write(object, into: &out) else { return Array("{}".utf8) }
        return out
    }

    private static func write(_ value: Any, into out: inout [UInt8]) -> Bool {
        // Values parsed by JSONSerialization are NSNumber: tell booleans ("c") from numbers without bridging.
        if type(of: value) is NSNumber.Type, let number = value as? NSNumber {
            let kind = String(cString: number.objCType)
            if kind == "c" || kind == "B" {
                out.append(contentsOf: (number.boolValue ? "true" : "false").utf8)
            } else if kind == "d" || kind == "f" {
                return write(number.doubleValue, into: &out)
            } else {
                out.append(contentsOf: String(number.int64Value).utf8)
            }
            return true
        }
        switch value {
        case let string as String:
            writeString(string, into: &out)
        case let bool as Bool:
            out.append(contentsOf: (bool ? "true" : "false").utf8)
        case let int as Int:
            out.append(contentsOf: String(int).utf8)
        case let int as Int64:
            out.append(contentsOf: String(int).utf8)
        case let int as Int32:
            out.append(contentsOf: String(int).utf8)
        case let double as Double:
            guard double.isFinite else { return false }
            out.append(contentsOf: (double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(double)).utf8)
        case is NSNull:
            out.append(contentsOf: "null".utf8)
        case let dictionary as [String: Any]:
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, element) in dictionary {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                guard write(element, into: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard write(element, into: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        default:
            return false
        }
        return true
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        JSONString.appendQuoted(text, to: &out)
    }

    /// The body parsed as any JSON value; nil when it is not JSON.
    static func decode(_ bytes: [UInt8]) -> Any? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    /// A canonical text for comparing payloads (sorted keys); the raw bytes when not JSON.
    static func canonical(_ bytes: [UInt8]) -> [UInt8] {
        guard let object = decode(bytes) else { return bytes }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]) else { return bytes }
        return Array(data)
    }

    /// A compact JSON text of `object` (bulk operation payloads are strings in Weavr's schema).
    static func text(_ object: Any) -> String {
        String(decoding: encode(object), as: UTF8.self)
    }
}
