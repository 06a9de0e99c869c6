/// Who performs an operation: the session's user and identity, or the submitter of a bulk process.
struct SimulatorPrincipal: Sendable, Equatable {
    var apiKey: String
    var userID: String
    var identityID: String
    var steppedUp: Bool
}
