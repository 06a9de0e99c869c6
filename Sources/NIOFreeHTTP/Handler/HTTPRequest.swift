import GatewayCore

/// A complete HTTP request as a handler sees it: head, the whole body (bounded by the server's limit),
/// the peer's address and, on a TLS listener, the TLS facts.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path, percent-encoding untouched.
    public var path: String
    /// The query string without "?", if any.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var peer: SocketAddress
    /// Present when the request arrived over TLS.
    public var tls: TLSInfo?
    /// Values captured by the router from `{name}` path segments.
    public var pathParameters: PathParameters = PathParameters()

    public init(
        method: String, path: String, query: String? = nil, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        peer: SocketAddress = SocketAddress(host: "127.0.0.1", port: 0), tls: TLSInfo? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.peer = peer
        self.tls = tls
    }

    /// The value of query parameter `name` (first occurrence, percent-decoded; "+" is a space).
    public func queryParameter(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if let key = PercentDecoding.decode(parts[0]), key == name {
                return parts.count > 1 ? PercentDecoding.decode(parts[1]) : ""
            }
        }
        return nil
    }
}

/// TLS facts of a connection.
public struct TLSInfo: Sendable, Equatable {
    /// "TLSv1.3" or "TLSv1.2".
    public var protocolVersion: String
    public var cipher: String
    public var alpn: String?
}

/// Router-captured path parameters, in route order.
public struct PathParameters: Sendable, Equatable {
    var pairs: [(name: String, value: String)] = []

    public init() {}

    public subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    mutating func append(_ name: String, _ value: String) {
        pairs.append((name, value))
    }

    public static func == (lhs: PathParameters, rhs: PathParameters) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0 == $1 }
    }
}
