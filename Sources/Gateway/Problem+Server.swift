public import NIOFreeHTTP

extension Problem {
    /// The gateway's problem for a refusal NIOFreeHTTP makes on its own (404/405 from the router; 400, 408,
    /// 413, 414, 417, 431, 501, 505 from the parser; 503 over a connection cap; 500): same codes, same
    /// `urn:weavr-gateway:problem:` types as every other error. A status without a code of its own becomes
    /// `bad_request` (4xx) or `internal_error` (5xx).
    public init(_ server: HTTPServerProblem) {
        let fallback: Code = server.status < 500 ? .badRequest : .internalError
        let code = Code(rawValue: server.code).flatMap { $0.status == server.status ? $0 : nil } ?? fallback
        self.init(code, detail: server.detail)
    }

    /// `Router.problemRenderer` for the gateway's listeners: the problem document plus the server's own
    /// fields (`allow` on 405, `retry-after` on 503).
    public static func render(_ server: HTTPServerProblem) -> HTTPResponse {
        Problem(server).response(headers: server.headers)
    }
}
