import GatewayCore
import NIOFreeHTTP
import Synchronization

/// Sends the simulator's webhooks off the request path: a bounded queue (the oldest webhook is dropped when it
/// is full, and counted), one worker, up to `attempts` tries per webhook with doubling pauses. Each try is signed
/// afresh (`published-timestamp` = the time of the try; the `call-ref` stays, so the receiver deduplicates).
final class SimulatorWebhookSender: Sendable {
    static let capacity = 1_000
    static let attempts = 5

    private struct State {
        var targets: [String: String] = [:]
        var queue: [SimulatorWebhook] = []
        var working = false
        var delivered = 0
        var failed = 0
        var dropped = 0
        var stopped = false
    }

    private let client: HTTPClient
    private let clock: any SimulatorClock
    private let state = Mutex(State())

    init(client: HTTPClient, clock: any SimulatorClock) {
        self.client = client
        self.clock = clock
    }

    /// Sets (or with nil removes) the webhook URL of the programme `apiKey`.
    func setTarget(_ url: String?, apiKey: String) {
        state.withLock { $0.targets[apiKey] = url }
    }

    var hasTargets: Bool { state.withLock { !$0.targets.isEmpty } }

    /// Delivered (2xx), given up on, dropped from a full queue, and waiting or in flight.
    var counts: (delivered: Int, failed: Int, dropped: Int, pending: Int) {
        state.withLock { ($0.delivered, $0.failed, $0.dropped, $0.queue.count + ($0.working ? 1 : 0)) }
    }

    func enqueue(_ webhooks: [SimulatorWebhook]) {
        guard !webhooks.isEmpty else { return }
        let start: Bool = state.withLock { state in
            guard !state.stopped else { return false }
            for webhook in webhooks where state.targets[webhook.apiKey] != nil {
                if state.queue.count >= Self.capacity {
                    state.queue.removeFirst()
                    state.dropped += 1
                }
                state.queue.append(webhook)
            }
            guard !state.working, !state.queue.isEmpty else { return false }
            state.working = true
            return true
        }
        if start { Task { await self.work() } }
    }

    func stop() {
        state.withLock { state in
            state.stopped = true
            state.queue = []
        }
    }

    func shutdown() async {
        await client.shutdown()
    }

    private func work() async {
        while true {
            let next: (SimulatorWebhook, String)? = state.withLock { state in
                while !state.queue.isEmpty {
                    let webhook = state.queue.removeFirst()
                    if let target = state.targets[webhook.apiKey] { return (webhook, target) }
                }
                state.working = false
                return nil
            }
            guard let (webhook, target) = next else { return }
            let ok = await deliver(webhook, to: target)
            state.withLock { state in
                if ok { state.delivered += 1 } else { state.failed += 1 }
            }
        }
    }

    private func deliver(_ webhook: SimulatorWebhook, to target: String) async -> Bool {
        let url = (target.hasSuffix("/") ? String(target.dropLast()) : target) + "/" + webhook.path
        var pause: Duration = .milliseconds(200)
        for attempt in 1...Self.attempts {
            if state.withLock({ $0.stopped }) { return false }
            let timestamp = String(clock.nowMilliseconds())
            var request = HTTPClientRequest(method: "POST", url: url)
            request.headers.add("content-type", "application/json")
            request.headers.add("call-ref", webhook.callRef)
            request.headers.add("published-timestamp", timestamp)
            request.headers.add("signature-v2", WeavrWebhookSignature.sign(
                apiKey: webhook.apiKey, callRef: webhook.callRef, body: webhook.body, publishedTimestamp: timestamp
            ))
            request.body = webhook.body
            if let response = try? await client.execute(request, timeout: .seconds(10)) {
                if (200..<300).contains(response.status) { return true }
                // A refusal that a retry cannot change (bad signature, not found) is final.
                if (400..<500).contains(response.status) && response.status != 408 && response.status != 429 { return false }
            }
            if attempt < Self.attempts {
                try? await Task.sleep(for: pause)
                pause *= 2
            }
        }
        return false
    }
}
