/// Why a `SecretBox` record could not be opened. Carries no record bytes.
public enum SecretBoxError: Error, Sendable, Hashable {
    /// Too short, or a format version this build does not know.
    case malformed
    /// Sealed under a key id that is not in the ring.
    case unknownKey(id: UInt32)
    /// The record, or the AAD it is opened with, was changed (or the key is wrong).
    case authenticationFailed
}
