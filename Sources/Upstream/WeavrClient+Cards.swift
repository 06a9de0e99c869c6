extension WeavrClient {
    /// `POST /managed_cards`.
    public func createCard(token: String, body: CardCreateBody, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        let call = Call(method: "POST", path: "/managed_cards", token: token, body: WeavrClient.encode(body), idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: ManagedCard.self)
    }

    /// `GET /managed_cards` with `filter`; `limit` is capped at 100 by Weavr.
    public func listCards(token: String, filter: CardListFilter = CardListFilter(), offset: Int? = nil, limit: Int? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrPage<ManagedCard>> {
        let call = Call(method: "GET", path: "/managed_cards", query: filter.queryItems + WeavrClient.paging(offset, limit), token: token, requestID: requestID)
        return try await perform(call, as: WeavrPage<ManagedCard>.self)
    }

    static let getCardOperation = "GET /managed_cards/{id}"

    /// `GET /managed_cards/{id}`.
    public func getCard(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        // The hottest call: its label is given, not derived (a test holds it equal to the derived one).
        let call = Call(method: "GET", path: "/managed_cards/\(WeavrClient.segment(id))", token: token, requestID: requestID, operation: WeavrClient.getCardOperation)
        return try await perform(call, as: ManagedCard.self)
    }

    /// `PATCH /managed_cards/{id}`: only the fields set in `body` change.
    public func patchCard(token: String, id: String, body: CardPatchBody, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        let call = Call(
            method: "PATCH", path: "/managed_cards/\(WeavrClient.segment(id))", token: token, body: WeavrClient.encode(body),
            idempotencyRef: idempotencyRef, requestID: requestID
        )
        return try await perform(call, as: ManagedCard.self)
    }

    /// `POST /managed_cards/{id}/block` (204; 409 `INSTRUMENT_ALREADY_BLOCKED` when it is).
    public func blockCard(token: String, id: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/block", token: token, idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `POST /managed_cards/{id}/unblock` (204; only `blockedReason=USER` can be unblocked).
    public func unblockCard(token: String, id: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/unblock", token: token, idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `POST /managed_cards/{id}/remove`: destroys the card for good. Weavr declares no idempotency-ref here,
    /// so none is sent and the call is never retried once sent.
    public func removeCard(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await perform(Call(method: "POST", path: "/managed_cards/\(WeavrClient.segment(id))/remove", token: token, requestID: requestID), as: WeavrEmpty.self)
    }
}
