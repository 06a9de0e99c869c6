/// Weavr's `ManagedInstrumentState`: the state plus why it is blocked or destroyed.
struct InstrumentStatus: Sendable, Equatable {
    /// ACTIVE, BLOCKED, DESTROYED (NOT_ENABLED is not simulated).
    var state: String
    /// USER, SYSTEM, LOST (only when BLOCKED).
    var blockedReason: String?
    /// USER, SYSTEM, … (only when DESTROYED).
    var destroyedReason: String?

    static let active = InstrumentStatus(state: "ACTIVE")

    var json: [String: Any] {
        var object: [String: Any] = ["state": state]
        if let blockedReason { object["blockedReason"] = blockedReason }
        if let destroyedReason { object["destroyedReason"] = destroyedReason }
        return object
    }
}
