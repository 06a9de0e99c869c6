extension WeavrClient {
    /// `POST /bulks/users`: one user creation per body (1…10,000).
    public func submitUsersBulk(token: String, users: [UserCreateBody], idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<BulkSubmitResponse> {
        let items = users.map { WeavrBulkItem(pathParams: [:], requestBody: $0) }
        return try await submitBulk(path: "/bulks/users", body: WeavrClient.encode(items), token: token, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    /// `POST /bulks/users/_user_id_/invite`: one invite per user id.
    public func submitUserInvitesBulk(token: String, userIds: [String], idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<BulkSubmitResponse> {
        let items = userIds.map { WeavrBulkItem<WeavrEmpty>(pathParams: ["_user_id_": $0]) }
        return try await submitBulk(path: "/bulks/users/_user_id_/invite", body: WeavrClient.encode(items), token: token, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    /// `POST /bulks/managed_cards/_id_/block`: one block per card id.
    public func submitCardBlockBulk(token: String, cardIds: [String], idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<BulkSubmitResponse> {
        let items = cardIds.map { WeavrBulkItem<WeavrEmpty>(pathParams: ["_id_": $0]) }
        return try await submitBulk(path: "/bulks/managed_cards/_id_/block", body: WeavrClient.encode(items), token: token, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    private func submitBulk(path: String, body: [UInt8], token: String, idempotencyRef: String?, requestID: String?) async throws(WeavrError) -> WeavrResult<BulkSubmitResponse> {
        let call = Call(method: "POST", path: path, token: token, body: body, idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: BulkSubmitResponse.self)
    }

    /// `GET /bulks`, optionally only those in `status`.
    public func listBulks(token: String, status: String? = nil, offset: Int? = nil, limit: Int? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrPage<BulkProcess>> {
        var query = WeavrClient.paging(offset, limit)
        if let status { query.append(("status", status)) }
        return try await perform(Call(method: "GET", path: "/bulks", query: query, token: token, requestID: requestID), as: WeavrPage<BulkProcess>.self)
    }

    /// `GET /bulks/{bulk_id}` with per-status operation counts.
    public func getBulk(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<BulkProcessDetails> {
        try await perform(Call(method: "GET", path: "/bulks/\(WeavrClient.segment(id))", token: token, requestID: requestID), as: BulkProcessDetails.self)
    }

    /// `GET /bulks/{bulk_id}/operations`.
    public func bulkOperations(token: String, id: String, status: String? = nil, offset: Int? = nil, limit: Int? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrPage<BulkOperation>> {
        var query = WeavrClient.paging(offset, limit)
        if let status { query.append(("status", status)) }
        let call = Call(method: "GET", path: "/bulks/\(WeavrClient.segment(id))/operations", query: query, token: token, requestID: requestID)
        return try await perform(call, as: WeavrPage<BulkOperation>.self)
    }

    /// `POST /bulks/{bulk_id}/execute`: starts a SUBMITTED process (asynchronous; poll `getBulk`).
    public func executeBulk(token: String, id: String, mode: BulkMode? = nil, webhookInterval: Int? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let body = WeavrClient.encode(BulkExecuteBody(mode: mode?.rawValue, webhookInterval: webhookInterval))
        return try await perform(Call(method: "POST", path: "/bulks/\(WeavrClient.segment(id))/execute", token: token, body: body, requestID: requestID), as: WeavrEmpty.self)
    }

    /// `POST /bulks/{bulk_id}/pause`: RUNNING → PAUSED.
    public func pauseBulk(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await bulkTransition("pause", token: token, id: id, requestID: requestID)
    }

    /// `POST /bulks/{bulk_id}/resume`: PAUSED → RUNNING.
    public func resumeBulk(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await bulkTransition("resume", token: token, id: id, requestID: requestID)
    }

    /// `POST /bulks/{bulk_id}/cancel`: SUBMITTED, RUNNING or PAUSED → CANCELLED (final).
    public func cancelBulk(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await bulkTransition("cancel", token: token, id: id, requestID: requestID)
    }

    /// Bulk management operations declare no idempotency-ref and are not retried once sent.
    private func bulkTransition(_ action: String, token: String, id: String, requestID: String?) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await perform(Call(method: "POST", path: "/bulks/\(WeavrClient.segment(id))/\(action)", token: token, requestID: requestID), as: WeavrEmpty.self)
    }
}
