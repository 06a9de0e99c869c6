/// What `IdempotencyStore.claim` found for a key.
enum IdempotencyClaim: Sendable, Equatable {
    /// No live row: an in-flight row was inserted and the caller runs the request.
    case acquired
    /// The same request already completed: replay its response.
    case replay(IdempotentResponse)
    /// The same request is still running.
    case inFlight
    /// The key was used for a different request.
    case keyReused
}
