import Upstream

/// `state`, `blockedReason` and `destroyedReason` of a card or account, flattened from Weavr's
/// `ManagedInstrumentState`. Both reasons are closed enums (Weavr's values, lower-case): a reason Weavr
/// adds later is sent as `other` rather than passed through; a reason is null unless the state is the one
/// it explains (and when Weavr gives none).
enum InstrumentStateView {
    /// Why a `blocked` instrument is blocked (Weavr `state.blockedReason`).
    static let blockedReasons = ["user", "system", "lost", "single_spend", "other"]
    /// Why a `destroyed` instrument was destroyed (Weavr `state.destroyedReason`).
    static let destroyedReasons = ["user", "system", "lost", "stolen", "expired", "compromised", "single_spend", "other"]

    static func write(_ state: ManagedInstrumentState, into json: inout JSONWriter) {
        json.field("state", state.state.lowercased())
        json.field("blockedReason", state.state == "BLOCKED" ? state.blockedReason.map { closed($0, blockedReasons) } : nil)
        json.field("destroyedReason", state.state == "DESTROYED" ? state.destroyedReason.map { closed($0, destroyedReasons) } : nil)
    }

    /// `weavr` lower-cased when it is one of `allowed`, else `other`.
    static func closed(_ weavr: String, _ allowed: [String]) -> String {
        let lower = weavr.lowercased()
        return allowed.contains(lower) ? lower : "other"
    }
}
