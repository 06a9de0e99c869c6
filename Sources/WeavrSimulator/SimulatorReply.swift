import Foundation

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
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return Array("{}".utf8)
        }
        return Array(data)
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
