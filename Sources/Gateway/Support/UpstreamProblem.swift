import Upstream

extension Problem {
    /// Maps a Weavr failure to the gateway's catalogue (docs/ARCHITECTURE.md "The public API"): Weavr bodies are
    /// never passed through; only codes vetted by `WeavrVetting` and field names on the allow-list of
    /// `UpstreamFieldNames` reach the client.
    static func upstream(_ error: WeavrError) -> Problem {
        switch error.kind {
        case .badRequest(let fields):
            return UpstreamFieldNames.problem(fields)
        case .unauthorized:
            return Problem(.sessionExpired, detail: "the Weavr session ended; log in again")
        case .forbidden(let code):
            if error.isStepUpRequired { return Problem(.stepUpRequired, detail: "verify a step-up challenge first") }
            return Problem(.forbidden, upstreamCode: WeavrVetting.code(code))
        case .notFound:
            return Problem(.notFound)
        case .conflict(let code):
            return Problem(.conflict, upstreamCode: WeavrVetting.code(code))
        case .locked:
            return Problem(.locked, detail: "too many failed logins; try again in 30 minutes", retryAfter: 1800)
        case .rateLimited(let seconds):
            return Problem(.upstreamUnavailable, detail: "Weavr is rate limiting this programme", retryAfter: seconds ?? 60)
        case .serverError(let status):
            return status == 503 || status == 502 || status == 504
                ? Problem(.upstreamUnavailable, retryAfter: 5)
                : Problem(.upstreamError, retryAfter: 5)
        case .timeout:
            return Problem(.upstreamTimeout, retryAfter: 5)
        case .unavailable:
            // An open circuit: not before its cool-down is over (whole seconds, rounded up).
            return Problem(.upstreamUnavailable, retryAfter: error.retryAfter.map(wholeSecondsRoundedUp) ?? 5)
        case .invalidResponse:
            return Problem(.upstreamError, retryAfter: 5)
        }
    }

    /// `duration` in whole seconds, rounded up, at least 1 (a `Retry-After` of 0 invites a busy loop).
    static func wholeSecondsRoundedUp(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
