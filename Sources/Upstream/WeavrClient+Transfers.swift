extension WeavrClient {
    /// `POST /transfers` (200 with the transfer; 409 `FUNDS_INSUFFICIENT`, `CURRENCY_MISMATCH`, … when refused).
    public func createTransfer(token: String, body: TransferCreateBody, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<Transfer> {
        let call = Call(method: "POST", path: "/transfers", token: token, body: WeavrClient.encode(body), idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: Transfer.self)
    }

    /// `GET /transfers`, newest first; `states` filters by `TransactionState`.
    public func listTransfers(token: String, states: [String] = [], offset: Int? = nil, limit: Int? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrPage<Transfer>> {
        let call = Call(method: "GET", path: "/transfers", query: states.map { ("state", $0) } + WeavrClient.paging(offset, limit), token: token, requestID: requestID)
        return try await perform(call, as: WeavrPage<Transfer>.self)
    }

    /// `GET /transfers/{id}`.
    public func getTransfer(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<Transfer> {
        try await perform(Call(method: "GET", path: "/transfers/\(WeavrClient.segment(id))", token: token, requestID: requestID), as: Transfer.self)
    }

    /// `GET /managed_cards/{id}/transactions` or `GET /managed_accounts/{id}/transactions`.
    public func transactions(
        token: String, of instrument: InstrumentRef, filter: TransactionFilter = TransactionFilter(), offset: Int? = nil, limit: Int? = nil,
        requestID: String? = nil
    ) async throws(WeavrError) -> WeavrResult<WeavrPage<InstrumentTransaction>> {
        let call = Call(
            method: "GET", path: "/\(instrument.type.rawValue)/\(WeavrClient.segment(instrument.id))/transactions",
            query: filter.queryItems + WeavrClient.paging(offset, limit), token: token, requestID: requestID
        )
        return try await perform(call, as: WeavrPage<InstrumentTransaction>.self)
    }
}
