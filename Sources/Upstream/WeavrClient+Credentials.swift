extension WeavrClient {
    /// `POST /users/{user_id}/invite/consume` (api-key only): the invited user sets their password; 200 with a
    /// token for them (409 `INVITE_OR_INVITE_CODE_INVALID`, `PASSWORD_ALREADY_CREATED`, `PASSWORD_TOO_*`, …).
    public func consumeInvite(userId: String, body: InviteConsumeBody, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<TokenResponse> {
        let call = Call(method: "POST", path: "/users/\(WeavrClient.segment(userId))/invite/consume", body: WeavrClient.encode(body),
                        idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: TokenResponse.self)
    }

    /// `POST /passwords/lost_password/start` (api-key only): Weavr emails the user a link with a nonce (204; 409
    /// `ACCOUNT_NOT_FOUND` for an unknown email).
    public func lostPasswordStart(email: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/passwords/lost_password/start", body: WeavrClient.encode(LostPasswordStartBody(email: email)), requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `POST /passwords/lost_password/resume` (api-key only): the email's nonce sets a new password (200 with a
    /// token; 409 `INVALID_NONCE_OR_EMAIL`, `PASSWORD_*`).
    public func lostPasswordResume(email: String, nonce: String, newPassword: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<TokenResponse> {
        let body = LostPasswordResumeBody(nonce: nonce, email: email, newPassword: SensitivePassword(value: newPassword))
        return try await perform(Call(method: "POST", path: "/passwords/lost_password/resume", body: WeavrClient.encode(body), requestID: requestID), as: TokenResponse.self)
    }

    /// `POST /passwords/update`: the token's user changes their password (200 with a new token; 409
    /// `PASSWORD_INCORRECT`, `PASSWORD_ALREADY_USED`, `PASSWORD_TOO_*`).
    public func updatePassword(token: String, oldPassword: String, newPassword: String, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<TokenResponse> {
        let body = PasswordUpdateBody(oldPassword: SensitivePassword(value: oldPassword), newPassword: SensitivePassword(value: newPassword))
        return try await perform(Call(method: "POST", path: "/passwords/update", token: token, body: WeavrClient.encode(body), requestID: requestID), as: TokenResponse.self)
    }

    /// `POST /authentication_factors/otp/{channel}`: starts enrolling the user's mobile; Weavr sends an OTP (204).
    public func enrolOTP(token: String, channel: StepUpChannel = .sms, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(method: "POST", path: "/authentication_factors/otp/\(channel.rawValue)", token: token, idempotencyRef: idempotencyRef, requestID: requestID)
        return try await perform(call, as: WeavrEmpty.self)
    }

    /// `POST /authentication_factors/otp/{channel}/verify`: the OTP completes the enrolment (204).
    public func enrolOTPVerify(token: String, channel: StepUpChannel = .sms, code: String, idempotencyRef: String? = nil, requestID: String? = nil) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        let call = Call(
            method: "POST", path: "/authentication_factors/otp/\(channel.rawValue)/verify", token: token,
            body: WeavrClient.encode(VerificationCodeBody(verificationCode: code)), idempotencyRef: idempotencyRef, requestID: requestID
        )
        return try await perform(call, as: WeavrEmpty.self)
    }
}
