import Audit
import NIOFreeHTTP

/// What an audited mutation's Weavr step produced: the client's response and the facts for the outcome row.
struct AuditedOutcome: Sendable {
    var response: HTTPResponse
    /// Weavr's status (`WeavrResult.status`).
    var upstreamStatus: Int?
    /// Weavr's `request-ref`.
    var upstreamRequestRef: String?
    /// The outcome row's target when only Weavr's answer names it (a new card, a bulk).
    var target: String?
    /// Extra details for the outcome row.
    var details: [String: AuditDetails.Value] = [:]
}
