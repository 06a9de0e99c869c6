public import NIOFreeHTTP

extension WeavrSimulator {
    /// Sets (or with nil removes) where the programme `apiKey`'s webhooks go, e.g.
    /// `http://127.0.0.1:8080/webhooks/demo` (Weavr appends its paths: `/managed_cards/state_change/watch`, …).
    /// Takes effect once the simulator is started.
    public func setWebhookURL(_ url: String?, apiKey: String) {
        state.withLock { $0.startReportingCardStates() }
        webhookSender.withLock { $0?.setTarget(url, apiKey: apiKey) }
    }

    /// Webhooks delivered (2xx), given up on after the retries, dropped from the full queue, and still pending.
    public var webhookCounts: (delivered: Int, failed: Int, dropped: Int, pending: Int) {
        webhookSender.withLock { $0?.counts } ?? (0, 0, 0, 0)
    }

    func startWebhooks(group: EventLoopGroup) throws {
        let sender = SimulatorWebhookSender(client: try HTTPClient(group: group), clock: clock)
        for (apiKey, url) in configuration.webhookURLs { sender.setTarget(url, apiKey: apiKey) }
        if !configuration.webhookURLs.isEmpty { state.withLock { $0.startReportingCardStates() } }
        webhookSender.withLock { $0 = sender }
    }

    func stopWebhooks() async {
        let sender = webhookSender.withLock { value -> SimulatorWebhookSender? in
            defer { value = nil }
            return value
        }
        sender?.stop()
        await sender?.shutdown()
    }

    /// After each request: the webhooks it caused go to the sender's queue (nothing is sent on the request's path).
    func flushWebhooks() {
        guard let sender = webhookSender.withLock({ $0 }), sender.hasTargets else { return }
        let now = clock.nowMilliseconds()
        sender.enqueue(state.withLock { $0.takeWebhooks(now: now) })
    }
}

/// Hands the webhooks a request caused to the sender once its answer is ready.
struct SimulatorWebhookMiddleware: HTTPMiddleware {
    let simulator: WeavrSimulator

    func handle(
        _ request: HTTPRequest, context: RequestContext, next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        defer { simulator.flushWebhooks() }
        return try await next(request, context)
    }
}
