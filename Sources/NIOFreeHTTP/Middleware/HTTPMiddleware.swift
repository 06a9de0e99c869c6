/// A step around the handler: it may change the request or context, answer early, or change the response.
public protocol HTTPMiddleware: Sendable {
    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse

    /// The same step for a route answered without waiting (`Router.immediate`), on the event loop: what `handle`
    /// does, with a `next` that returns at once. Returns nil when this request needs `handle` (it would have to
    /// wait, e.g. for a store); then nothing may have been done, so `handle` can run from the start. `next`
    /// answers nil when a step inside needs `handle`: pass that nil on without doing anything after it.
    /// Default: nil (a middleware that does not implement it keeps every request on the `handle` path).
    func handleImmediately(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) -> HTTPResponse?
    ) -> HTTPResponse?
}

extension HTTPMiddleware {
    public func handleImmediately(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) -> HTTPResponse?
    ) -> HTTPResponse? {
        nil
    }
}
