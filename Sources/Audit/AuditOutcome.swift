/// How far an audited request got.
public enum AuditOutcome: String, Sendable, Hashable, CaseIterable {
    /// Written before the upstream call: the gateway is about to act.
    case intent
    /// The action completed.
    case success
    /// The action was attempted and failed (upstream error, timeout).
    case failure
    /// The gateway refused the request (quota, access, validation) without calling upstream.
    case denied
}
