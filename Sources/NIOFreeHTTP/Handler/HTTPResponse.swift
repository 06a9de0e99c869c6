import GatewayCore

/// A response: status, headers and a body that is either bytes or a stream of chunks.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    /// The body of a response.
    public enum Body: Sendable {
        /// Sent with Content-Length.
        case bytes([UInt8])
        /// Sent with chunked transfer coding; the closure writes chunks and returns when done.
        case stream(@Sendable (HTTPBodyWriter) async throws -> Void)
        /// Nothing is sent: the connection is reset (TCP RST). For fault injection in simulators and tests.
        case abortConnection
    }

    /// A "response" that resets the connection instead of answering (fault injection).
    public static var connectionReset: HTTPResponse {
        var response = HTTPResponse(status: 500)
        response.body = .abortConnection
        return response
    }

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
    }

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), stream: @escaping @Sendable (HTTPBodyWriter) async throws -> Void) {
        self.status = status
        self.headers = headers
        self.body = .stream(stream)
    }

    /// A JSON response from already-encoded bytes.
    public static func json(_ status: Int, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.replaceOrAdd("content-type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// A JSON response from a UTF-8 string.
    public static func json(_ status: Int, _ body: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        json(status, Array(body.utf8), headers: headers)
    }

    /// An RFC 9457 problem document with a fixed, input-free `detail` and a `code` (by default the status's,
    /// `HTTPServerProblem.code(for:)`).
    public static func problem(
        _ status: Int, title: String, code: String? = nil, detail: String? = nil, headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        var headers = headers
        headers.replaceOrAdd("content-type", "application/problem+json")
        var text = #"{"type":"about:blank","title":"# + JSONString.quoted(title) + #","status":\#(status)"#
        text += #","code":"# + JSONString.quoted(code ?? HTTPServerProblem.code(for: status))
        if let detail { text += #","detail":"# + JSONString.quoted(detail) }
        text += "}"
        return HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }
}

