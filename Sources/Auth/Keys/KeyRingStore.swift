/// Durable storage of session-token signing keys. Key bytes are stored encrypted and are
/// handed out only to a `KeyRing` through `loadVerifyingKeys()`.
public protocol KeyRingStore: Sendable {
    /// The active key, creating the first one when the store has none.
    func ensureActiveKey() async throws -> SigningKeyInfo
    /// Creates a new active key; the previously active key becomes `verifying`.
    func rotate() async throws -> SigningKeyInfo
    /// Retires a `verifying` key and erases its bytes. Throws `KeyRingError.activeKey` for
    /// the active key and `.unknownKey` for an id that is not stored.
    func retire(_ kid: String) async throws -> SigningKeyInfo
    /// Every key, newest first, without key bytes.
    func list() async throws -> [SigningKeyInfo]
    /// The active and verifying keys with their bytes, for a `KeyRing`.
    func loadVerifyingKeys() async throws -> [SigningKey]
}
