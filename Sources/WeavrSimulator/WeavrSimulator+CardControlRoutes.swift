extension WeavrSimulator {
    /// Spend rules and physical card operations under `/managed_cards/{id}/…`. Those whose spec operation
    /// declares `idempotency-ref` are idempotent.
    static let cardControlRoutes: [SimulatorRoute] = {
        let instrument = SimulatorRoute.Access.accessToken(instrument: true)
        func route(_ method: String, _ pattern: String, idempotent: Bool = false,
                   _ action: @escaping @Sendable (inout SimulatorState, SimulatorCall) -> SimulatorReply) -> SimulatorRoute {
            SimulatorRoute(method: method, pattern: pattern, access: instrument, idempotent: idempotent, action: action)
        }
        return [
            route("GET", "/managed_cards/{id}/spend_rules") { $0.getSpendRules($1) },
            route("POST", "/managed_cards/{id}/spend_rules", idempotent: true) { $0.createSpendRules($1) },
            route("PATCH", "/managed_cards/{id}/spend_rules", idempotent: true) { $0.updateSpendRules($1) },
            route("DELETE", "/managed_cards/{id}/spend_rules") { $0.deleteSpendRules($1) },

            route("POST", "/managed_cards/{id}/physical", idempotent: true) { $0.upgradeToPhysical($1) },
            route("POST", "/managed_cards/{id}/physical/activate", idempotent: true) { $0.activatePhysical($1) },
            route("GET", "/managed_cards/{id}/physical/pin") { $0.physicalPin($1) },
            route("PATCH", "/managed_cards/{id}/physical/pin/unblock") { $0.unblockPhysicalPin($1) },
            route("POST", "/managed_cards/{id}/physical/report_lost", idempotent: true) { $0.reportPhysical(stolen: false, $1) },
            route("POST", "/managed_cards/{id}/physical/report_stolen", idempotent: true) { $0.reportPhysical(stolen: true, $1) },
            // The spec lists only `api-key` security here; the simulator needs the token to scope the card [I].
            route("POST", "/managed_cards/{id}/physical/replace_lost_stolen", idempotent: true) { $0.replaceLostStolenPhysical($1) },
            route("POST", "/managed_cards/{id}/physical/replace_damaged", idempotent: true) { $0.replaceDamagedPhysical($1) },
        ]
    }()
}
