public import Logging
public import NIOFreeHTTP

/// Measures every request for `/metrics` and writes its structured access-log line.
///
/// Binds a `RequestObservation` to the request's task so the authenticator can name the tenant and the
/// Weavr client can add its time. The log line has `request_id`, `tenant` (when authenticated), `route`
/// (the pattern, never the raw path), `method`, `status`, `duration_ms`, `upstream_ms` and `client_ip` —
/// never headers, bodies, tokens or query strings.
public struct ObservabilityMiddleware: HTTPMiddleware {
    let metrics: GatewayMetrics?
    let accessLog: Logger?
    /// Checked per request, so a reload can turn the access log on and off (one atomic load).
    let accessLogEnabled: @Sendable () -> Bool

    public init(metrics: GatewayMetrics?, accessLog: Logger?, accessLogEnabled: @escaping @Sendable () -> Bool = { true }) {
        self.accessLogEnabled = accessLogEnabled
        self.metrics = metrics
        self.accessLog = accessLog
    }

    public func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let observation = RequestObservation()
        do {
            let response = try await RequestObservation.$current.withValue(observation) {
                try await next(request, context)
            }
            finish(request, context, observation, status: response.status)
            return response
        } catch {
            finish(request, context, observation, status: 500)
            throw error
        }
    }

    /// An immediate route (`Router.immediate`) neither authenticates nor calls Weavr, so it has no
    /// `RequestObservation` to fill in: its line has no tenant and no upstream time.
    public func handleImmediately(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) -> HTTPResponse?
    ) -> HTTPResponse? {
        guard let response = next(request, context) else { return nil }
        finish(request, context, nil, status: response.status)
        return response
    }

    private func finish(_ request: HTTPRequest, _ context: RequestContext, _ observation: RequestObservation?, status: Int) {
        let nanoseconds = EventLoop.monotonicNanoseconds() &- context.startedAt
        let tenant = observation?.tenant
        metrics?.recordRequest(route: context.route, method: request.method, status: status, tenant: tenant, seconds: Double(nanoseconds) / 1e9)
        guard let accessLog, accessLogEnabled() else { return }
        var metadata: Logger.Metadata = [
            "request_id": .string(context.requestID),
            "route": .string(context.route ?? "unmatched"),
            "method": .string(GatewayMetrics.methodLabel(request.method)),
            "status": .stringConvertible(status),
            "duration_ms": .stringConvertible(Self.milliseconds(nanoseconds)),
            "upstream_ms": .stringConvertible(Self.milliseconds(observation?.upstreamNanoseconds ?? 0)),
            "client_ip": .string(request.peer.host),
        ]
        if let tenant { metadata["tenant"] = .string(tenant) }
        accessLog.info("request", metadata: metadata)
    }

    /// Nanoseconds as milliseconds with three decimals.
    static func milliseconds(_ nanoseconds: UInt64) -> Double {
        Double(nanoseconds / 1_000) / 1_000
    }
}
