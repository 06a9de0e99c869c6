/// Where a session-token signing key is in its life.
public enum SigningKeyState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Signs new tokens and verifies; exactly one key is active.
    case active
    /// No longer signs; still verifies tokens it signed until they expire.
    case verifying
    /// Verifies nothing; its key bytes are erased from storage.
    case retired
}
