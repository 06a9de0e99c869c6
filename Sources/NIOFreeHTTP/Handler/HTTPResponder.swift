/// Answers requests. The server calls `respond` on the connection's event loop, synchronously until
/// the first suspension, so a responder that never suspends costs no thread hop and no enqueue.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest, context: RequestContext) async throws -> HTTPResponse
}
