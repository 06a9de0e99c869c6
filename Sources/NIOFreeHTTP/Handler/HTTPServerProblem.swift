/// A refusal the HTTP layer makes on its own: a request the parser rejected (400, 413, 414, 417, 431, 501,
/// 505), a deadline (408), a connection cap (503), an unknown path (404), a known path with another method
/// (405), a responder that threw (500). The responder renders it (`HTTPResponder.problemResponse(_:)`), so
/// an application can give these answers the same shape as its own errors.
public struct HTTPServerProblem: Sendable {
    /// The HTTP status.
    public var status: Int
    /// A stable snake_case code for the status (`not_found`, `request_header_fields_too_large`, …).
    public var code: String
    /// Fixed, server-written text; never request bytes.
    public var detail: String?
    /// Fields the answer must carry: `allow` on 405 (RFC 9110 §15.5.6), `retry-after` on 503.
    public var headers: HTTPHeaders

    /// A problem for `status`, its `code` from `HTTPServerProblem.code(for:)`.
    public init(status: Int, detail: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        code = HTTPServerProblem.code(for: status)
        self.detail = detail
        self.headers = headers
    }

    /// The code of each status the server answers by itself (`http_error` for any other).
    public static func code(for status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 408: "request_timeout"
        case 413: "payload_too_large"
        case 414: "uri_too_long"
        case 417: "expectation_failed"
        case 431: "request_header_fields_too_large"
        case 500: "internal_error"
        case 501: "not_implemented"
        case 503: "service_unavailable"
        case 505: "http_version_not_supported"
        default: "http_error"
        }
    }

    /// The default rendering: RFC 9457 `application/problem+json`
    /// `{"type":"about:blank","title":<reason phrase>,"status":…,"code":…,"detail":…}` with `headers`.
    public var response: HTTPResponse {
        var response = HTTPResponse.problem(status, title: HTTPResponseEncoder.reasonPhrase(status), code: code, detail: detail)
        for field in headers { response.headers.replaceOrAdd(field.name, field.value) }
        return response
    }
}
