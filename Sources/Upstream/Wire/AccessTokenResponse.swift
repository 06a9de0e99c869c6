/// 200 of `POST /access_token`. Its description never shows the token.
public struct AccessTokenResponse: Sendable, Equatable, Codable, CustomStringConvertible {
    public var token: String
    public var identity: IdentityID
    public var credentials: CredentialID?
    /// `STANDARD` or `STEPPED_UP`.
    public var status: String?

    public var description: String {
        "AccessTokenResponse(identity: \(identity.type) \(identity.id), status: \(status ?? "-"))"
    }
}
