/// 200 of `POST /login_with_password`. Its description never shows the token.
public struct LoginResponse: Sendable, Equatable, Codable, CustomStringConvertible {
    public var token: String
    /// `NO_TYPE`, `AUTH` (exchange it at `/access_token` first) or `ACCESS`.
    public var tokenType: String?
    public var identity: IdentityID
    public var credentials: CredentialID

    public init(token: String, tokenType: String?, identity: IdentityID, credentials: CredentialID) {
        self.token = token
        self.tokenType = tokenType
        self.identity = identity
        self.credentials = credentials
    }

    public var description: String {
        "LoginResponse(tokenType: \(tokenType ?? "-"), identity: \(identity.type) \(identity.id), credentials: \(credentials.type) \(credentials.id))"
    }
}
