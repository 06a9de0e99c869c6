/// One entry of `GET /identities`: `{id: IdentityId, name}`.
public struct IdentitySummary: Sendable, Equatable, Codable, WeavrPageItem {
    public static let pageKey = "identities"
    public var id: IdentityID
    public var name: String
}
