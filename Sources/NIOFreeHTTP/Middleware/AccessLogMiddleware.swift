/// One finished request, for an access log.
public struct AccessLogEntry: Sendable {
    public var requestID: String
    public var method: String
    /// The matched route pattern, or the raw path when no route matched.
    public var route: String
    public var status: Int
    public var durationNanoseconds: UInt64
    public var peer: SocketAddress
}

/// Calls `sink` with an `AccessLogEntry` after each response is produced.
/// Place it after `RequestIDMiddleware` so the entry carries the id.
public struct AccessLogMiddleware: HTTPMiddleware {
    let sink: @Sendable (AccessLogEntry) -> Void

    public init(_ sink: @escaping @Sendable (AccessLogEntry) -> Void) {
        self.sink = sink
    }

    public func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let status: Int
        do {
            let response = try await next(request, context)
            status = response.status
            log(request, context, status)
            return response
        } catch {
            log(request, context, 500)
            throw error
        }
    }

    public func handleImmediately(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) -> HTTPResponse?
    ) -> HTTPResponse? {
        guard let response = next(request, context) else { return nil }
        log(request, context, response.status)
        return response
    }

    private func log(_ request: HTTPRequest, _ context: RequestContext, _ status: Int) {
        sink(AccessLogEntry(
            requestID: context.requestID,
            method: request.method,
            route: context.route ?? request.path,
            status: status,
            durationNanoseconds: EventLoop.monotonicNanoseconds() &- context.startedAt,
            peer: request.peer
        ))
    }
}
