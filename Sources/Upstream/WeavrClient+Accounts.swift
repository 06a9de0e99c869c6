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
