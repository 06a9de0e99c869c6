/// One simulated Weavr operation: method, path pattern, what authentication it needs, whether it honours
/// `idempotency-ref`, and the action run on the state.
struct SimulatorRoute: Sendable {
    /// The credentials an operation requires (spec `security`).
    enum Access: Sendable {
        /// `api-key` only (login).
        case apiKey
        /// `api-key` + a valid bearer token of type ACCESS; `instrument` routes answer an AUTH-type token with
        /// 403 ACCESS_TOKEN_REQUIRED, the others with 401.
        case accessToken(instrument: Bool)
        /// `api-key` + a valid bearer token of any type (`/identities`).
        case anyToken
        /// `api-key`, token optional (`/access_token`; the action decides).
        case optionalToken
    }

    var method: String
    var pattern: String
    var access: Access
    var idempotent: Bool
    var action: @Sendable (inout SimulatorState, SimulatorCall) -> SimulatorReply
}
