import Audit
import NIOFreeHTTP

/// What a `/v1` route declares in the route table (`V1Routes`), read by `V1Pipeline` and `V1Call`: its body limit, whether `Idempotency-Key` applies and to whom, and its audited
/// action with the daily quota it counts against and where its target comes from.
struct V1RouteDeclaration: Sendable {
    /// Whose `Idempotency-Key`s a mutation's keys are: the user's, or (routes acting on the session itself:
    /// logout, step-up) the user's in this session only.
    enum IdempotencyScope: Sendable {
        case user
        case session
    }

    /// Body over this → 413 `payload_too_large` before anything else runs; nil for reads.
    var bodyLimit: Int?
    /// nil for reads: no idempotency handling.
    var idempotency: IdempotencyScope?
    /// The audited step of a mutation (`V1Call.audited`); nil when the route writes no audit rows itself.
    var audit: AuditStep?
}

/// An audited mutation as the route table declares it: the action, the daily quota it counts against, and
/// the path parameter naming its target (nil: the target is learned from Weavr's answer, e.g. a new card).
struct AuditStep: Sendable {
    var action: AuditAction
    var quota: QuotaOperation?
    var targetParameter: String?
}
