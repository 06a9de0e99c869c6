import NIOFreeHTTP

extension WeavrSimulator {
    /// Test-only card events a cardholder at a terminal would cause (no api-key):
    /// `POST /_simulator/cards/{id}/pin_block` → 204, the physical card's PIN is blocked (too many wrong PINs).
    func addCardAdminRoutes(to router: inout Router) {
        router.post("/_simulator/cards/{id}/pin_block") { [self] request, _ in
            WeavrSimulator.response(state.withLock { $0.blockPhysicalPin(id: request.pathParameters["id"]) })
        }
    }
}
