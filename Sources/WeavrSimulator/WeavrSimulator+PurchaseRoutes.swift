import NIOFreeHTTP

extension WeavrSimulator {
    /// Test-only card purchases, as a merchant and the card scheme would drive them (no api-key):
    /// `POST /_simulator/purchases` `{cardId, amount, currency?, merchantName, merchantCategoryCode?, merchantId?, merchantCountry?, channel?}`
    /// → 201 `{id, status, declineReason?}`, and `POST /_simulator/purchases/{id}/settle` → 200 `{id, status}`.
    func addPurchaseRoutes(to router: inout Router) {
        router.post("/_simulator/purchases") { [self] request, _ in
            let now = clock.nowMilliseconds()
            return WeavrSimulator.response(state.withLock { $0.authorisePurchase(body: request.body, now: now) })
        }
        router.post("/_simulator/purchases/{id}/settle") { [self] request, _ in
            let now = clock.nowMilliseconds()
            return WeavrSimulator.response(state.withLock { $0.settlePurchase(id: request.pathParameters["id"], now: now) })
        }
        // Weavr allocates an IBAN asynchronously: `delay` keeps the account's next upgrade PENDING_ALLOCATION,
        // `allocate` completes it (→ 200 with the account's IBAN JSON).
        router.post("/_simulator/accounts/{id}/iban/delay") { [self] request, _ in
            WeavrSimulator.response(state.withLock { $0.testIBANAllocation(accountID: request.pathParameters["id"], allocate: false) })
        }
        router.post("/_simulator/accounts/{id}/iban/allocate") { [self] request, _ in
            WeavrSimulator.response(state.withLock { $0.testIBANAllocation(accountID: request.pathParameters["id"], allocate: true) })
        }
    }
}
