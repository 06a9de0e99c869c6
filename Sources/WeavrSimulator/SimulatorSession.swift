/// A token issued by login or `/access_token`, with its user, identity and step-up state.
struct SimulatorSession: Sendable {
    var token: String
    var apiKey: String
    var userID: String
    var identityID: String
    /// AUTH (only `/identities` and `/access_token`) or ACCESS.
    var tokenType: String
    var steppedUp = false
    var challengePending = false
    /// Epoch ms of the last successful use; the token dies after the idle timeout.
    var lastUsed: Int64
}
