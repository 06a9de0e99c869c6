import NIOFreeHTTP

/// Wraps every simulator answer: captures the request (secrets redacted), applies the injected fault of
/// its route, and stamps a unique `request-ref`. Admin routes (`/_simulator/…`) are neither captured nor faulted.
struct SimulatorTrafficMiddleware: HTTPMiddleware {
    let simulator: WeavrSimulator

    static let garbage: [UInt8] = Array("<html><body>502 upstream exploded".utf8) + [0x00, 0xFF, 0xFE, 0x7B, 0x22]

    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let requestRef = simulator.nextRequestRef()
        guard !request.path.hasPrefix("/_simulator/") else {
            var response = try await next(request, context)
            response.headers.replaceOrAdd("request-ref", requestRef)
            return response
        }
        let now = simulator.clock.nowMilliseconds()
        let pattern = context.route ?? request.path
        let (fault, fires) = simulator.state.withLock { state -> (SimulatorFault?, Bool) in
            state.received += 1
            state.capture(
                method: request.method, path: request.path, query: request.query, route: context.route,
                headers: request.headers.map { [$0.name, $0.value] }, body: request.body, now: now
            )
            guard let fault = state.fault(method: request.method, pattern: pattern) else { return (nil, false) }
            let fires = fault.errorRate >= 1 || (fault.errorRate > 0 && state.faultRandom.nextUnit() < fault.errorRate)
            return (fault, fires)
        }
        // However it ends (faulted, answered, thrown), the request is no longer in progress afterwards.
        defer { simulator.state.withLock { $0.answered += 1 } }
        if let fault, fault.latency > .zero {
            await context.eventLoop.sleep(nanoseconds: fault.latency.nanosecondsClamped)
        }
        var trickle: (chunkBytes: Int, interval: Duration)?
        if let fault, fires {
            switch fault.kind {
            case .none:
                break
            case .status(let status):
                return HTTPResponse(status: status, headers: ["request-ref": requestRef])
            case .tooManyRequests:
                let limit = simulator.configuration.rateLimitPerMinute ?? 100
                var headers: HTTPHeaders = ["request-ref": requestRef]
                for (name, value) in SimulatorState.tooManyRequests(limit: limit, resetSeconds: 60).headers { headers.add(name, value) }
                return HTTPResponse(status: 429, headers: headers)
            case .connectionReset:
                return .connectionReset
            case .garbageBody:
                return HTTPResponse(status: 200, headers: ["content-type": "application/json", "request-ref": requestRef], body: Self.garbage)
            case .slowTrickle(let chunkBytes, let interval):
                trickle = (chunkBytes, interval)
            }
        }
        var response = try await next(request, context)
        response.headers.replaceOrAdd("request-ref", requestRef)
        guard let trickle, case .bytes(let body) = response.body, !body.isEmpty else { return response }
        let loop = context.eventLoop
        let pause = trickle.interval.nanosecondsClamped
        return HTTPResponse(status: response.status, headers: response.headers) { writer in
            var offset = 0
            while offset < body.count {
                let end = min(body.count, offset + trickle.chunkBytes)
                try await writer.write(Array(body[offset..<end]))
                offset = end
                if offset < body.count { await loop.sleep(nanoseconds: pause) }
            }
        }
    }
}
