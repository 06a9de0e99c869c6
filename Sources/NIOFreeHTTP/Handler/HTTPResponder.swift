/// Answers requests. The server calls `respond` on the connection's event loop, synchronously until
/// the first suspension, so a responder that never suspends costs no thread hop and no enqueue.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest, context: RequestContext) async throws -> HTTPResponse

    /// The answer to a refusal the server makes on its own (parse errors, timeouts, connection caps, a
    /// thrown error). Called on the event loop; must not block. Default: `problem.response`.
    func problemResponse(_ problem: HTTPServerProblem) -> HTTPResponse
}

extension HTTPResponder {
    /// RFC 9457 problem+json with `type: about:blank` and the status's `code`.
    public func problemResponse(_ problem: HTTPServerProblem) -> HTTPResponse {
        problem.response
    }
}
