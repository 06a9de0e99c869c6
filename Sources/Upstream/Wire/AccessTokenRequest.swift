/// Body of `POST /access_token`.
public struct AccessTokenRequest: Sendable, Equatable, Codable {
    public var identity: IdentityID

    public init(identity: IdentityID) {
        self.identity = identity
    }
}
