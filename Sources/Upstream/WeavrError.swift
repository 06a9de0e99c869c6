/// Every way a Weavr call can fail, decoded from Weavr's error shapes or from the transport.
///
/// `description` names the kind, status, Weavr codes and field names only: never the api-key, tokens,
/// passwords, card numbers or response bodies.
public struct WeavrError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// 400: the request failed Weavr's syntax checks; `invalidFields` from `syntaxErrors`.
        case badRequest(invalidFields: [WeavrInvalidField])
        /// 401: the api-key or token is missing, unknown or expired.
        case unauthorized
        /// 403 with `errorCode` (or `message`, as Weavr's own demo app reads it), e.g. `STEP_UP_REQUIRED`;
        /// nil when the body carries none (login's wrong credentials).
        case forbidden(code: String?)
        /// 404 (`{code, message}` or `{errorCode}`) or 410 token errors.
        case notFound(code: String?)
        /// 409 with the operation's `errorCode`.
        case conflict(code: String?)
        /// 423: the user is locked after failed consecutive logins (30 minutes at Weavr).
        case locked
        /// 429: `x-ratelimit-reset` seconds until the window resets, when given.
        case rateLimited(retryAfterSeconds: Int?)
        /// 5xx.
        case serverError(status: Int)
        /// No complete answer before the call's deadline.
        case timeout
        /// Weavr could not be reached: connect failure, reset, pool exhausted, circuit open.
        case unavailable(String)
        /// A garbage body, an unexpected status or a response that is not valid HTTP.
        case invalidResponse(String)
    }

    public var kind: Kind
    /// The HTTP status, when an answer arrived.
    public var status: Int?
    /// Weavr's `request-ref` header, when an answer carried one.
    public var requestRef: String?
    /// How long to wait before calling again, when the gateway itself knows: an open circuit's remaining
    /// cool-down.
    public var retryAfter: Duration?

    public init(_ kind: Kind, status: Int? = nil, requestRef: String? = nil, retryAfter: Duration? = nil) {
        self.kind = kind
        self.status = status
        self.requestRef = requestRef
        self.retryAfter = retryAfter
    }

    /// True when the call was refused by the open circuit breaker without reaching Weavr.
    public var isCircuitOpen: Bool {
        kind == .unavailable(WeavrError.circuitOpenReason)
    }

    /// True for 403 `STEP_UP_REQUIRED`: the token must be stepped up (SCA) before retrying.
    public var isStepUpRequired: Bool {
        kind == .forbidden(code: "STEP_UP_REQUIRED")
    }

    /// The Weavr code of a 403/404/409, if any.
    public var code: String? {
        switch kind {
        case .forbidden(let code), .notFound(let code), .conflict(let code): code
        default: nil
        }
    }

    /// True when the same request may succeed later without change (429, 502–504, timeouts, unreachable).
    public var isTransient: Bool {
        switch kind {
        case .rateLimited, .timeout: true
        case .serverError(let status): status == 502 || status == 503 || status == 504
        case .unavailable(let reason): reason != WeavrError.circuitOpenReason
        default: false
        }
    }

    /// True when the failure says Weavr itself is unhealthy (5xx, transport): what the circuit breaker counts.
    var countsAsUpstreamFailure: Bool {
        switch kind {
        case .serverError, .timeout, .unavailable: true
        case .invalidResponse: status == nil
        default: false
        }
    }

    static let circuitOpenReason = "circuit open"

    public var description: String {
        var text: String
        switch kind {
        case .badRequest(let fields):
            text = "Weavr bad request"
            if !fields.isEmpty {
                text += " (" + fields.map { "\(WeavrError.safe($0.fieldName)): \(WeavrError.safe($0.error))" }.joined(separator: ", ") + ")"
            }
        case .unauthorized: text = "Weavr unauthorized"
        case .forbidden(let code): text = "Weavr forbidden" + WeavrError.codeSuffix(code)
        case .notFound(let code): text = "Weavr not found" + WeavrError.codeSuffix(code)
        case .conflict(let code): text = "Weavr conflict" + WeavrError.codeSuffix(code)
        case .locked: text = "Weavr user locked"
        case .rateLimited(let seconds): text = "Weavr rate limited" + (seconds.map { ", reset in \($0) s" } ?? "")
        case .serverError(let status): text = "Weavr server error \(status)"
        case .timeout: text = "Weavr timeout"
        case .unavailable(let reason): text = "Weavr unavailable: \(reason)"
        case .invalidResponse(let reason): text = "Weavr invalid response: \(reason)"
        }
        if let requestRef { text += " [request-ref \(WeavrError.safe(requestRef))]" }
        return text
    }

    private static func codeSuffix(_ code: String?) -> String {
        code.map { " (\(safe($0)))" } ?? ""
    }

    /// Weavr codes and field names are upper-case identifiers and dotted paths; anything else is dropped
    /// so that a body echoing input can never smuggle a secret into a log line.
    static func safe(_ text: String) -> String {
        let allowed = text.utf8.count <= 64 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x2D || byte == 0x5B || byte == 0x5D
        }
        return allowed ? text : "?"
    }
}
