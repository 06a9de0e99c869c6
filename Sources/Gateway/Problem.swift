public import NIOFreeHTTP

/// An RFC 9457 problem document with a stable `code` from the gateway's catalogue.
/// Details are fixed, server-written text: never request bytes, never upstream bodies, never secrets.
public struct Problem: HTTPResponseError, Sendable, Equatable {
    /// The catalogue of problem codes a client can program against.
    public enum Code: String, Sendable, CaseIterable {
        case badRequest = "bad_request"
        case unauthenticated
        case sessionExpired = "session_expired"
        case csrfFailed = "csrf_failed"
        case forbidden
        case stepUpRequired = "step_up_required"
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case notAcceptable = "not_acceptable"
        case validationFailed = "validation_failed"
        case conflict
        case locked
        case idempotencyKeyReused = "idempotency_key_reused"
        case idempotencyInFlight = "idempotency_in_flight"
        case payloadTooLarge = "payload_too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case rateLimited = "rate_limited"
        case quotaExceeded = "quota_exceeded"
        case upstreamUnavailable = "upstream_unavailable"
        case upstreamTimeout = "upstream_timeout"
        case upstreamError = "upstream_error"
        case serviceUnavailable = "service_unavailable"
        case internalError = "internal_error"
        case requestTimeout = "request_timeout"
        case uriTooLong = "uri_too_long"
        case expectationFailed = "expectation_failed"
        case requestHeaderFieldsTooLarge = "request_header_fields_too_large"
        case notImplemented = "not_implemented"
        case httpVersionNotSupported = "http_version_not_supported"
        case webhookSignatureInvalid = "webhook_signature_invalid"
        case webhookTimestampOutOfWindow = "webhook_timestamp_out_of_window"
        case tooManyStreams = "too_many_streams"

        /// The HTTP status this code is sent with.
        public var status: Int {
            switch self {
            case .badRequest: 400
            case .unauthenticated, .sessionExpired, .webhookSignatureInvalid, .webhookTimestampOutOfWindow: 401
            case .csrfFailed, .forbidden, .stepUpRequired: 403
            case .notFound: 404
            case .methodNotAllowed: 405
            case .notAcceptable: 406
            case .conflict, .idempotencyInFlight: 409
            case .payloadTooLarge: 413
            case .unsupportedMediaType: 415
            case .validationFailed, .idempotencyKeyReused: 422
            case .locked: 423
            case .rateLimited, .quotaExceeded, .tooManyStreams: 429
            case .upstreamError: 502
            case .upstreamUnavailable, .serviceUnavailable: 503
            case .upstreamTimeout: 504
            case .internalError: 500
            case .requestTimeout: 408
            case .uriTooLong: 414
            case .expectationFailed: 417
            case .requestHeaderFieldsTooLarge: 431
            case .notImplemented: 501
            case .httpVersionNotSupported: 505
            }
        }

        /// A short human title (RFC 9457 §3.1.4).
        public var title: String {
            switch self {
            case .badRequest: "Bad request"
            case .unauthenticated: "Authentication required"
            case .sessionExpired: "Session expired"
            case .csrfFailed: "CSRF check failed"
            case .forbidden: "Forbidden"
            case .stepUpRequired: "Step-up authentication required"
            case .notFound: "Not found"
            case .methodNotAllowed: "Method not allowed"
            case .notAcceptable: "Not acceptable"
            case .validationFailed: "Validation failed"
            case .conflict: "Conflict"
            case .locked: "Account locked"
            case .idempotencyKeyReused: "Idempotency key reused with a different request"
            case .idempotencyInFlight: "A request with this idempotency key is in progress"
            case .payloadTooLarge: "Payload too large"
            case .unsupportedMediaType: "Unsupported media type"
            case .rateLimited: "Rate limited"
            case .quotaExceeded: "Quota exceeded"
            case .upstreamUnavailable: "Upstream unavailable"
            case .upstreamTimeout: "Upstream timeout"
            case .upstreamError: "Upstream error"
            case .serviceUnavailable: "Service unavailable"
            case .internalError: "Internal error"
            case .requestTimeout: "Request timeout"
            case .uriTooLong: "URI too long"
            case .expectationFailed: "Expectation failed"
            case .requestHeaderFieldsTooLarge: "Request header fields too large"
            case .notImplemented: "Not implemented"
            case .httpVersionNotSupported: "HTTP version not supported"
            case .webhookSignatureInvalid: "Webhook signature invalid"
            case .webhookTimestampOutOfWindow: "Webhook timestamp outside the accepted window"
            case .tooManyStreams: "Too many open event streams"
            }
        }
    }

    /// A field the client sent that failed validation, by its public name.
    public struct InvalidField: Sendable, Equatable {
        public var name: String
        public var reason: String

        public init(name: String, reason: String) {
            self.name = name
            self.reason = reason
        }
    }

    public var code: Code
    public var detail: String?
    public var invalidFields: [InvalidField] = []
    /// The upstream's own error code where it helps the client (`conflict`: e.g. `INSTRUMENT_ALREADY_BLOCKED`).
    public var upstreamCode: String?
    /// Seconds for `Retry-After`.
    public var retryAfter: Int?

    public init(_ code: Code, detail: String? = nil, invalidFields: [InvalidField] = [], upstreamCode: String? = nil, retryAfter: Int? = nil) {
        self.code = code
        self.detail = detail
        self.invalidFields = invalidFields
        self.upstreamCode = upstreamCode
        self.retryAfter = retryAfter
    }

    /// The `type` URI of a code.
    public static func typeURI(_ code: Code) -> String { "urn:weavr-gateway:problem:" + code.rawValue }

    /// The response for this problem (`application/problem+json`); what the router sends when it is thrown.
    public func response() -> HTTPResponse {
        response(headers: HTTPHeaders())
    }

    /// The response for this problem with `extra` fields (`application/problem+json`).
    public func response(headers extra: HTTPHeaders) -> HTTPResponse {
        var json = JSONWriter()
        json.beginObject()
        json.field("type", Problem.typeURI(code))
        json.field("title", code.title)
        json.field("status", code.status)
        json.field("code", code.rawValue)
        if let detail { json.field("detail", detail) }
        if let upstreamCode { json.field("upstreamCode", upstreamCode) }
        if !invalidFields.isEmpty {
            json.key("invalidFields")
            json.beginArray()
            for field in invalidFields {
                json.beginObject()
                json.field("name", field.name)
                json.field("reason", field.reason)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        var headers = extra
        headers.replaceOrAdd("content-type", "application/problem+json")
        if let retryAfter { headers.replaceOrAdd("retry-after", String(max(0, retryAfter))) }
        return HTTPResponse(status: code.status, headers: headers, body: json.bytes)
    }
}
