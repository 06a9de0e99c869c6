/// Answers requests. The server calls `respond` on the connection's event loop, synchronously until
/// the first suspension, so a responder that never suspends costs no thread hop and no enqueue.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest, context: RequestContext) async throws -> HTTPResponse

    /// An answer that needs no waiting, made on the event loop within this call, before any task is involved;
    /// nil when the request must be answered by `respond` (the usual case). The server asks this first for
    /// every request, so an implementation decides in a few nanoseconds and has no side effect when it
    /// answers nil. Default: nil.
    func respondImmediately(to request: HTTPRequest, context: RequestContext) -> HTTPResponse?

    /// The answer to a refusal the server makes on its own (parse errors, timeouts, connection caps, a
    /// thrown error). Called on the event loop; must not block. Default: `problem.response`.
    func problemResponse(_ problem: HTTPServerProblem) -> HTTPResponse
}

extension HTTPResponder {
    public func respondImmediately(to request: HTTPRequest, context: RequestContext) -> HTTPResponse? {
        nil
    }

    /// RFC 9457 problem+json with `type: about:blank` and the status's `code`.
    public func problemResponse(_ problem: HTTPServerProblem) -> HTTPResponse {
        problem.response
    }
}
