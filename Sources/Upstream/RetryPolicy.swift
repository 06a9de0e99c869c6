/// When and how long to wait before retrying a Weavr call.
///
/// Only calls that are safe to repeat are retried: GETs, and mutations carrying an `idempotency-ref`
/// (Weavr applies them once). A non-idempotent POST (login, card remove, bulk management) is retried
/// only when the failure proves it never left this process (connect refused or timed out): the request
/// was not sent, so it cannot have taken effect.
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt. Default 2.
    public var maxRetries: Int = 2
    /// First backoff ceiling; doubles per retry (full jitter: a uniform pause in 0…ceiling). Default 100 ms.
    public var baseDelay: Duration = .milliseconds(100)
    /// Largest backoff ceiling. Default 2 s.
    public var maxDelay: Duration = .seconds(2)
    /// A 429 is retried after its `x-ratelimit-reset` only when that is at most this long. Default 2 s.
    public var maxRateLimitWait: Duration = .seconds(2)

    public init() {}

    /// The pause before retry number `retry` (0-based) after `error`, or nil when the call must not be retried.
    /// `random` returns a uniform value in 0…1 (injectable for tests).
    public func delay(
        after error: WeavrError, retry: Int, isRepeatable: Bool, random: () -> Double = { Double.random(in: 0...1) }
    ) -> Duration? {
        guard retry < maxRetries else { return nil }
        guard isRepeatable || RetryPolicy.neverSent(error) else { return nil }
        guard error.isTransient else { return nil }
        if case .rateLimited(let seconds) = error.kind {
            // Weavr keeps answering 429 "until the frequency time window is over": waiting less is pointless.
            guard let seconds else { return nil }
            let wait = Duration.seconds(max(seconds, 0))
            return wait <= maxRateLimitWait ? wait : nil
        }
        let exponent = min(retry, 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * min(max(random(), 0), 1)
    }

    /// Failures where the request provably never reached Weavr.
    static func neverSent(_ error: WeavrError) -> Bool {
        error.kind == .unavailable("connect failed") || error.kind == .unavailable("connect timeout")
            || error.kind == .unavailable("connection pool exhausted")
    }
}
