public import NIOFreeHTTP
import Synchronization

/// A stateful, spec-faithful simulator of the Weavr Multi API (auth, step-up, managed cards and accounts,
/// transfers and transaction activity, users, bulks) with fault injection, request capture and simulated
/// card purchases, for the demo and tests.
///
/// All state sits behind one `Mutex`; handlers run on the event loop and never block it.
/// Endpoints, seed format and admin routes are described in `Sources/WeavrSimulator/README.md`.
public final class WeavrSimulator: Sendable {
    public let configuration: Configuration
    let clock: any SimulatorClock
    let state: Mutex<SimulatorState>
    private let requestRefCounter = Atomic<UInt64>(0)
    private let requestRefPrefix: String
    private let running = Mutex<Running?>(nil)
    /// Sends webhooks once `start` has run (`WeavrSimulator+Webhooks`).
    let webhookSender = Mutex<SimulatorWebhookSender?>(nil)

    private struct Running: Sendable {
        var server: HTTPServer
        var group: EventLoopGroup
        var ownsGroup: Bool
    }

    /// Creates a simulator holding `seed`'s data; `clock` drives token expiry, lock-outs and timestamps.
    public init(seed: SimulatorSeed = .demo, clock: any SimulatorClock = SystemSimulatorClock(), configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.clock = clock
        state = Mutex(SimulatorState(seed: seed, configuration: configuration, now: clock.nowMilliseconds()))
        var generator = SystemRandomNumberGenerator()
        requestRefPrefix = String(generator.next() as UInt32, radix: 16)
    }

    /// A unique `request-ref` value.
    func nextRequestRef() -> String {
        let number = requestRefCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return "sim-\(requestRefPrefix)-\(number)"
    }

    /// Serves the simulator on `host:port` (port 0 picks a free one) on `group`, or on a new one-thread group
    /// that `shutdown()` stops. Returns the bound address.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0, group: EventLoopGroup? = nil) throws -> SocketAddress {
        var configuration = HTTPServer.Configuration()
        configuration.host = host
        configuration.port = port
        // Bulk submits carry up to 10,000 items.
        configuration.maxBodyBytes = 8 * 1024 * 1024
        let loops = group ?? EventLoopGroup(threads: 1)
        let server = try HTTPServer(configuration: configuration, group: loops, responder: makeRouter())
        do {
            try server.start()
        } catch {
            if group == nil { loops.shutdown() }
            throw error
        }
        running.withLock { $0 = Running(server: server, group: loops, ownsGroup: group == nil) }
        try startWebhooks(group: loops)
        return server.localAddress ?? SocketAddress(host: host, port: port)
    }

    /// Stops the server started by `start` (and its loop group if the simulator created it) and stops bulk runners.
    public func shutdown() async {
        state.withLock { $0.isShutDown = true }
        await stopWebhooks()
        guard let current = running.withLock({ value -> Running? in
            defer { value = nil }
            return value
        }) else { return }
        await current.server.shutdown(gracePeriod: .seconds(2))
        if current.ownsGroup { current.group.shutdown() }
    }

    /// Injects `fault` on `method` + route `path` (a pattern as registered, e.g. `/managed_cards/{id}/block`;
    /// `*` matches any method or any route); nil removes it.
    public func setFault(_ fault: SimulatorFault?, for method: String, path: String) {
        state.withLock { $0.faults[SimulatorState.faultKey(method, path)] = fault }
    }

    /// Removes every fault.
    public func clearFaults() {
        state.withLock { $0.faults.removeAll() }
    }

    /// The last requests received (oldest first), secrets redacted; admin routes are not captured.
    public var capturedRequests: [CapturedRequest] {
        state.withLock { $0.captured }
    }

    /// Requests still being handled (received, answer not yet produced; a faulted answer counts as
    /// produced): tests wait for 0 instead of sleeping until a slow request has taken effect.
    public var requestsInProgress: Int {
        state.withLock { $0.received - $0.answered }
    }

    /// Forgets the captured requests.
    public func clearCapturedRequests() {
        state.withLock { $0.captured.removeAll() }
    }
}
