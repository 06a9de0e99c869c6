/// A request for `HTTPClient`.
public struct HTTPClientRequest: Sendable {
    public var method: String
    /// `http://` or `https://` URL: host (name, IPv4 or bracketed IPv6), optional port, path and query.
    public var url: String {
        didSet { resolved = nil }
    }
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    /// May be re-sent on a fresh connection when a reused keep-alive connection turns out dead before
    /// any response byte arrived. Defaults to true for GET, HEAD, PUT, DELETE and OPTIONS (RFC 9110 §9.2.2).
    public var isIdempotent: Bool

    /// Origin and request-target when the request was built on an `Endpoint` (the URL is then not parsed
    /// again for each request); nil after `url` is set.
    private(set) var resolved: (origin: HTTPOrigin, target: String)?

    public init(method: String = "GET", url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        isIdempotent = Self.isIdempotent(method)
    }

    /// A request for `path` (starting with "/", with any query) on `endpoint`: the same request as
    /// `init(method:url:…)` with `endpoint.baseURL + path`, without parsing that URL again.
    public init(method: String = "GET", endpoint: Endpoint, path: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]? = nil) {
        self.init(method: method, url: endpoint.baseURL + path, headers: headers, body: body)
        // The same check `HTTPOrigin.parse` makes of a target; a path that fails it is left to that parse,
        // which refuses the URL (`invalidURL`), so nothing unchecked reaches the wire.
        if path.utf8.first == UInt8(ascii: "/"), path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            resolved = (endpoint.origin, endpoint.basePath + path)
        }
    }

    static func isIdempotent(_ method: String) -> Bool {
        switch method {
        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS": true
        default: false
        }
    }

    /// An absolute http(s) base URL parsed once, to build many requests on (`init(method:endpoint:path:…)`).
    public struct Endpoint: Sendable {
        /// The base URL as given, without a trailing "/".
        public let baseURL: String
        let origin: HTTPOrigin
        /// The base URL's path ("" or "/api", no trailing "/"), put before each request's path.
        let basePath: String

        /// Nil when `baseURL` is not an absolute http(s) URL without a query, or `path` would not be a valid
        /// request-target.
        public init?(baseURL: String) {
            var base = baseURL
            while base.hasSuffix("/") { base.removeLast() }
            guard !base.contains("?"), let (origin, target) = HTTPOrigin.parse(base + "/") else { return nil }
            self.baseURL = base
            self.origin = origin
            basePath = String(target.dropLast())
        }
    }
}

/// A complete response received by `HTTPClient`.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why a client request failed. Messages never include request or response bodies or header values.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not an absolute http(s) URL this client can use.
    case invalidURL
    /// Could not connect (refused, unreachable, DNS failure).
    case connectFailed(String)
    /// The connection was not established within the connect timeout.
    case connectTimeout
    /// No complete response before the request's deadline.
    case timeout
    /// The peer closed or reset the connection before the response was complete.
    case connectionClosed
    /// TLS handshake or certificate verification failed.
    case tlsFailure(String)
    /// The response was not valid HTTP/1.1.
    case invalidResponse(String)
    /// The response body exceeded `maxResponseBytes`.
    case responseTooLarge
    /// All connections are busy and the waiting list is full.
    case poolExhausted
    /// The client has been shut down.
    case shutdown

    public var description: String {
        switch self {
        case .invalidURL: "invalid URL"
        case .connectFailed(let reason): "connect failed: \(reason)"
        case .connectTimeout: "connect timeout"
        case .timeout: "request timeout"
        case .connectionClosed: "connection closed before the response was complete"
        case .tlsFailure(let reason): "TLS failure: \(reason)"
        case .invalidResponse(let reason): "invalid response: \(reason)"
        case .responseTooLarge: "response too large"
        case .poolExhausted: "connection pool exhausted"
        case .shutdown: "client shut down"
        }
    }
}

/// Scheme, host and port: the key of a connection pool.
struct HTTPOrigin: Hashable, Sendable {
    var secure: Bool
    var host: String
    var port: Int
    /// The value for the Host header (RFC 9110 §7.2): default ports are omitted. Computed once.
    let hostHeader: String

    init(secure: Bool, host: String, port: Int) {
        self.secure = secure
        self.host = host
        self.port = port
        let name = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        hostHeader = (secure && port == 443) || (!secure && port == 80) ? name : "\(name):\(port)"
    }

    /// Splits an absolute URL into origin and request-target (on its UTF-8 bytes: it runs for every request).
    static func parse(_ url: String) -> (HTTPOrigin, target: String)? {
        let secure: Bool
        var rest: Substring.UTF8View
        let bytes = url.utf8
        if bytes.starts(with: "https://".utf8) {
            secure = true
            rest = Substring(url).utf8.dropFirst(8)
        } else if bytes.starts(with: "http://".utf8) {
            secure = false
            rest = Substring(url).utf8.dropFirst(7)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let targetBytes = rest[authorityEnd...]
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")) else { return nil }
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        var target = String(Substring(targetBytes))
        if target.isEmpty || targetBytes.first == UInt8(ascii: "?") { target = "/" + target }
        var host: Substring.UTF8View
        var portText: Substring.UTF8View?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        let port: Int
        if let portText {
            guard let value = Int(Substring(portText)), (1...65535).contains(value) else { return nil }
            port = value
        } else {
            port = secure ? 443 : 80
        }
        guard !host.isEmpty else { return nil }
        return (HTTPOrigin(secure: secure, host: String(Substring(host)), port: port), target)
    }
}
