extension WeavrClient {
    /// `POST /users`: needs a stepped-up token (else 403 `STEP_UP_REQUIRED`).
    public func createUser(token: String, body: UserCreateBody, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrUser> {
        let call = Call(method: "POST", path: "/users", token: token, body: WeavrClient.encode(body), idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrUser.self)
    }

    /// `GET /users` (root users included).
    public func listUsers(token: String, offset: Int? = nil, limit: Int? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrPage<WeavrUser>> {
        let call = Call(method: "GET", path: "/users", query: WeavrClient.paging(offset, limit), token: token, requestID: requestID)
        return try await perform(call, as: WeavrPage<WeavrUser>.self)
    }

    /// `GET /users/{user_id}`.
    public func getUser(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrUser> {
        try await perform(Call(method: "GET", path: "/users/\(WeavrClient.segment(id))", token: token, requestID: requestID), as: WeavrUser.self)
    }

    /// `PATCH /users/{user_id}`: the members set change (200 with the user; 409 `EMAIL_NOT_UNIQUE`, …).
    public func updateUser(token: String, id: String, body: UserPatchBody, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrUser> {
        let call = Call(method: "PATCH", path: "/users/\(WeavrClient.segment(id))", token: token, body: WeavrClient.encode(body), idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrUser.self)
    }

    /// `POST /users/{user_id}/activate` (204).
    public func activateUser(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await perform(Call(method: "POST", path: "/users/\(WeavrClient.segment(id))/activate", token: token, requestID: requestID), as: WeavrEmpty.self)
    }

    /// `POST /users/{user_id}/deactivate` (204): the user can no longer log in.
    public func deactivateUser(token: String, id: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await perform(Call(method: "POST", path: "/users/\(WeavrClient.segment(id))/deactivate", token: token, requestID: requestID), as: WeavrEmpty.self)
    }

    /// `POST /users/{user_id}/invite`: emails the user an invite (204).
    public func inviteUser(token: String, userId: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/users/\(WeavrClient.segment(userId))/invite", token: token, idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }
}
