extension WeavrSimulator {
    /// Every tunable of the simulator with its default.
    public struct Configuration: Sendable {
        /// A token unused for this long is dead (Weavr: 5 minutes from last activity). Default 5 min.
        public var tokenIdleTimeout: Duration = .seconds(300)
        /// Consecutive wrong passwords that lock a user (423). Default 5.
        public var maxConsecutiveLoginFailures = 5
        /// How long a locked user stays locked (Weavr: 30 minutes). Default 30 min.
        public var lockoutDuration: Duration = .seconds(1800)
        /// The sandbox OTP that verifies a step-up challenge. Default "123456".
        public var stepUpCode = "123456"
        /// The sandbox nonce of invite and lost-password emails, and the OTP that verifies an SMS enrolment. Default "123456".
        public var nonce = "123456"
        /// Pause before each bulk operation runs. Default 5 ms.
        public var bulkOperationDelay: Duration = .milliseconds(5)
        /// Awaited with the bulk's id before each bulk operation runs (after `bulkOperationDelay`), so a test can
        /// step a bulk one operation at a time. Default none; test use only.
        public var bulkOperationGate: (@Sendable (_ bulkID: String) async -> Void)?
        /// Requests per minute per api-key before 429; nil turns the limit off. Default nil (off).
        public var rateLimitPerMinute: Int?
        /// How long an `idempotency-ref` is remembered (Weavr: at least 24 h). Default 24 h.
        public var idempotencyRetention: Duration = .seconds(86_400)
        /// Requests kept for `capturedRequests` and `GET /_simulator/requests`. Default 1,000.
        public var capturedRequestLimit = 1_000
        /// Seed of the generator that decides which requests a fault's error rate hits. Default 42.
        public var faultSeed: UInt64 = 42
        /// Serve `/_simulator/*` admin routes (faults, captured requests). Default true; test use only.
        public var adminRoutesEnabled = true
        /// Webhook URL per programme (api-key → URL, e.g. `http://127.0.0.1:8080/webhooks/demo`): card state changes
        /// and simulated purchases are sent there, signed as Weavr signs. Default none (no webhooks).
        public var webhookURLs: [String: String] = [:]

        public init() {}
    }
}
