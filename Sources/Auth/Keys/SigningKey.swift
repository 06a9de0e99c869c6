/// A signing key with its HMAC-SHA256 key bytes, as loaded into a `KeyRing`.
public struct SigningKey: Sendable {
    /// Id, state and dates.
    public var info: SigningKeyInfo
    /// The 32 random key bytes; redacted in `description`.
    public var material: SecretBytes

    /// Creates a key.
    public init(info: SigningKeyInfo, material: SecretBytes) {
        self.info = info
        self.material = material
    }
}
