/// Weavr's `ManagedInstrumentState`: `{state: ACTIVE|BLOCKED|DESTROYED|NOT_ENABLED, blockedReason?, destroyedReason?}`.
public struct ManagedInstrumentState: Sendable, Equatable, Codable {
    public var state: String
    /// `USER`, `SYSTEM`, `LOST`, `SINGLE_SPEND`.
    public var blockedReason: String?
    /// `SYSTEM`, `USER`, `LOST`, `STOLEN`, `EXPIRED`, `COMPROMISED`, `SINGLE_SPEND`.
    public var destroyedReason: String?

    public init(state: String, blockedReason: String? = nil, destroyedReason: String? = nil) {
        self.state = state
        self.blockedReason = blockedReason
        self.destroyedReason = destroyedReason
    }
}
