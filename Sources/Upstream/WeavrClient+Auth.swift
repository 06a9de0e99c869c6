extension WeavrClient {
    /// `POST /login_with_password` (api-key only; never retried once sent: it is not idempotent).
    public func loginWithPassword(email: String, password: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<LoginResponse> {
        let body = WeavrClient.encode(LoginRequest(email: email, password: password))
        return try await perform(Call(method: "POST", path: "/login_with_password", body: body, requestID: requestID), as: LoginResponse.self)
    }

    /// `POST /access_token`: exchanges an auth token for an access token of `identity`.
    public func accessToken(authToken: String, identity: IdentityID, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<AccessTokenResponse> {
        let body = WeavrClient.encode(AccessTokenRequest(identity: identity))
        return try await perform(Call(method: "POST", path: "/access_token", token: authToken, body: body, requestID: requestID), as: AccessTokenResponse.self)
    }

    /// `GET /identities`: the identities the token's user can act for.
    public func identities(token: String, offset: Int? = nil, limit: Int? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrPage<IdentitySummary>> {
        let call = Call(method: "GET", path: "/identities", query: WeavrClient.paging(offset, limit), token: token, requestID: requestID)
        return try await perform(call, as: WeavrPage<IdentitySummary>.self)
    }

    /// `POST /logout`: ends the token's session (200 `{url}` or 204; the body is ignored).
    public func logout(token: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await perform(Call(method: "POST", path: "/logout", token: token, requestID: requestID), as: WeavrEmpty.self)
    }

    /// `POST /stepup/challenges/otp/{channel}`: sends an OTP to the user's enrolled device.
    public func stepUpChallenge(token: String, channel: StepUpChannel = .sms, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/stepup/challenges/otp/\(channel.rawValue)", token: token, idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `POST /stepup/challenges/otp/{channel}/verify`: a correct code steps the token up.
    public func stepUpVerify(token: String, channel: StepUpChannel = .sms, code: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(
            method: "POST", path: "/stepup/challenges/otp/\(channel.rawValue)/verify", token: token,
            body: WeavrClient.encode(VerificationCodeBody(verificationCode: code)), idempotencyRef: idempotencyRef, requestID: requestID
        )
        return try await perform(call, as: WeavrEmpty.self)
    }

    static func paging(_ offset: Int?, _ limit: Int?) -> [(String, String)] {
        var items: [(String, String)] = []
        if let offset { items.append(("offset", String(offset))) }
        if let limit { items.append(("limit", String(limit))) }
        return items
    }
}
