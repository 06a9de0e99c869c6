extension WeavrClient {
    /// `GET /managed_accounts`.
    public func listAccounts(token: String, offset: Int? = nil, limit: Int? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrPage<ManagedAccount>> {
        let call = Call(method: "GET", path: "/managed_accounts", query: WeavrClient.paging(offset, limit), token: token, requestID: requestID)
        return try await perform(call, as: WeavrPage<ManagedAccount>.self)
    }

    /// `GET /managed_accounts/{id}`.
    public func getAccount(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedAccount> {
        try await perform(Call(method: "GET", path: "/managed_accounts/\(WeavrClient.segment(id))", token: token, requestID: requestID), as: ManagedAccount.self)
    }
}

extension WeavrClient {
    /// `POST /managed_accounts/{id}/iban` (200 with the IBAN, `ALLOCATED` or `PENDING_ALLOCATION`; 409
    /// `INSTRUMENT_ALREADY_UPGRADED_TO_IBAN`, `INSTRUMENT_IS_NOT_ACTIVE`, `IBAN_NOT_SUPPORTED`, …).
    public func upgradeAccountIBAN(token: String, id: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedAccountIBAN> {
        let call = Call(method: "POST", path: "/managed_accounts/\(WeavrClient.segment(id))/iban", token: token, idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: ManagedAccountIBAN.self)
    }

    /// `GET /managed_accounts/{id}/iban` (`UNALLOCATED` with no details before an upgrade).
    public func getAccountIBAN(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<ManagedAccountIBAN> {
        try await perform(Call(method: "GET", path: "/managed_accounts/\(WeavrClient.segment(id))/iban", token: token, requestID: requestID), as: ManagedAccountIBAN.self)
    }
}
