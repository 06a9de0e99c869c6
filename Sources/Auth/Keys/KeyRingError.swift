/// A key ring refusal.
public enum KeyRingError: Error, Sendable, Hashable {
    /// No key has this id.
    case unknownKey(kid: String)
    /// The active key signs new tokens; rotate first, then retire it.
    case activeKey(kid: String)
    /// The ring has no active key to sign with (`ensureActiveKey()` was never run).
    case noActiveKey
}

extension KeyRingError: CustomStringConvertible {
    /// A message for the operator.
    public var description: String {
        switch self {
        case .unknownKey(let kid): "no signing key with id \(kid)"
        case .activeKey(let kid): "key \(kid) is the active signing key; run `keys rotate` first, then retire it"
        case .noActiveKey: "no active signing key; run `keys rotate`"
        }
    }
}
