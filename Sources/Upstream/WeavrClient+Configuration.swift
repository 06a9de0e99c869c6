extension WeavrClient {
    /// Deadlines and retry limits of a client. Defaults are in the property docs.
    public struct Configuration: Sendable {
        /// Deadline of one attempt, from submission to the complete response. Default 5 s.
        public var attemptTimeout: Duration = .seconds(5)
        /// Deadline of a whole call including every retry and backoff pause. Default 12 s.
        public var overallTimeout: Duration = .seconds(12)
        /// Backoff, retry count and which failures are retried.
        public var retry: RetryPolicy = RetryPolicy()
        /// Header carrying the caller's request id to Weavr for end-to-end tracing. Default `x-request-id`.
        public var requestIDHeader: String = "x-request-id"
        /// Called after every attempt (and every call the circuit refused) with the operation, outcome and
        /// duration, for metrics. Runs on the caller's task: keep it short and non-blocking. Default nil.
        public var observer: (@Sendable (WeavrCallObservation) -> Void)?

        public init() {}
    }
}
