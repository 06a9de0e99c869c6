/// What may be shown about a signing key: never its bytes.
public struct SigningKeyInfo: Sendable, Hashable, Codable {
    /// The key id carried in tokens (`kid`), 8 base64url characters.
    public var kid: String
    /// Its state.
    public var state: SigningKeyState
    /// When it was created (ms since the Unix epoch).
    public var createdAt: Int64
    /// When it was retired, if it was.
    public var retiredAt: Int64?

    /// Creates the description of a key.
    public init(kid: String, state: SigningKeyState, createdAt: Int64, retiredAt: Int64? = nil) {
        self.kid = kid
        self.state = state
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}
