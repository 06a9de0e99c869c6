/// Weavr's `IdentityId`: `{type: CONSUMER|CORPORATE, id}`.
public struct IdentityID: Sendable, Equatable, Hashable, Codable {
    public var type: String
    public var id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }
}
