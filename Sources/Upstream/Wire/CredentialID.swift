/// Weavr's `CredentialId`: `{type: ROOT|USER|API_CLIENT, id}` (the user's id for ROOT/USER).
public struct CredentialID: Sendable, Equatable, Hashable, Codable {
    public var type: String
    public var id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }
}
