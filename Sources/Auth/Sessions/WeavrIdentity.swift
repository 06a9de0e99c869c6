/// A Weavr identity: its type (`corporates` or `consumers`) and id.
public struct WeavrIdentity: Sendable, Hashable, Codable {
    /// `corporates` or `consumers` (as Weavr names them).
    public var type: String
    /// The identity id.
    public var id: String

    /// Creates an identity.
    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }
}
