/// The first answer given for an `idempotency-ref`, replayed for the same operation and payload.
struct IdempotencyRecord: Sendable {
    /// Method and concrete path of the first request.
    var operation: String
    /// Canonical JSON of the first request's body.
    var payload: [UInt8]
    var reply: SimulatorReply
    var storedAt: Int64
}
