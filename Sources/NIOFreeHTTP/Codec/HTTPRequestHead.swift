/// A validated request head.
public struct HTTPRequestHead: Sendable {
    /// The method token, case-sensitive as sent.
    public var method: String
    /// The raw request-target.
    public var target: String
    /// The path: the origin-form path, the path of an absolute-form target ("/" when it has none), or "*" for asterisk-form.
    public var path: String
    /// The query without its "?", or nil when the target has none.
    public var query: String?
    /// The protocol version.
    public var version: HTTPVersion
    /// The header fields in the order received.
    public var headers: HTTPHeaders
    /// True on HTTP/1.1 unless "Connection: close"; on HTTP/1.0 only with "Connection: keep-alive".
    public var keepAlive: Bool
    /// The declared Content-Length (0 when "Content-Length: 0" was sent); nil when the body is chunked or absent.
    public var contentLength: Int?
    /// True when the body uses the chunked transfer coding.
    public var isChunked: Bool
    /// True for "Expect: 100-continue" on HTTP/1.1 with a non-empty or chunked body.
    public var expectsContinue: Bool

    /// Creates a head; the parser fills every field, tests and clients may build one directly.
    public init(
        method: String,
        target: String,
        path: String,
        query: String? = nil,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        keepAlive: Bool = true,
        contentLength: Int? = nil,
        isChunked: Bool = false,
        expectsContinue: Bool = false
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.contentLength = contentLength
        self.isChunked = isChunked
        self.expectsContinue = expectsContinue
    }
}
