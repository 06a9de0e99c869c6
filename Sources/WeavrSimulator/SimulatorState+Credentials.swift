extension SimulatorState {
    /// Weavr's password rules (`SensitivePassword`): 8–30 characters with a lower-case and an upper-case letter,
    /// a digit and another character; the 409 code of the first rule broken, nil when it passes.
    static func passwordProblem(_ password: String) -> String? {
        if password.count < 8 { return "PASSWORD_TOO_SHORT" }
        if password.count > 30 { return "PASSWORD_TOO_LONG" }
        let classes: [(Character) -> Bool] = [\.isLowercase, \.isUppercase, \.isNumber, { !$0.isLetter && !$0.isNumber }]
        return classes.allSatisfy({ password.contains(where: $0) }) ? nil : "PASSWORD_TOO_SIMPLE"
    }

    /// `{<name>: {value}}` (`SensitivePassword`) from a validated body.
    static func sensitivePassword(_ check: inout FieldValidator, _ name: String) -> String? {
        guard let object = check.object(name, required: true) else { return nil }
        var inner = FieldValidator(object, prefix: name)
        let value = inner.string("value", required: true, minLength: 1, maxLength: 100)
        check.merge(inner)
        return value
    }

    /// `POST /users/{user_id}/invite/consume` (api-key only) `{inviteCode, password, mobile?}`: the invited user sets
    /// their password → 200 `{token}` (a session, as a login would give). The code is the sandbox nonce
    /// (`Configuration.nonce`) of an invite sent before. 404 `TOKEN_NOT_FOUND` for a user the programme does not
    /// have; 409 `PASSWORD_ALREADY_CREATED`, `INVITE_OR_INVITE_CODE_INVALID`, `PASSWORD_TOO_SHORT|LONG|SIMPLE`.
    mutating func consumeInvite(_ call: SimulatorCall) -> SimulatorReply {
        guard let body = JSONBody.decode(call.body) as? [String: Any] else {
            return .badRequest([InvalidField(fieldName: "inviteCode", error: "REQUIRED"), InvalidField(fieldName: "password", error: "REQUIRED")])
        }
        var check = FieldValidator(body)
        let code = check.string("inviteCode", required: true, pattern: "^[0-9]{6}$")
        let password = Self.sensitivePassword(&check, "password")
        var mobile: (String, String)?
        if let object = check.object("mobile") {
            var nested = FieldValidator(object, prefix: "mobile")
            let countryCode = nested.string("countryCode", required: true, minLength: 1, maxLength: 4, pattern: #"^\+[0-9]+$"#)
            let number = nested.string("number", required: true, pattern: "^[0-9]{1,12}$")
            check.merge(nested)
            if let countryCode, let number { mobile = (countryCode, number) }
        }
        guard check.isValid, let code, let password else { return .badRequest(check.invalidFields) }
        guard let index = userIndex[call.pathParameters["user_id"] ?? ""], identities[users[index].identityID]?.apiKey == call.apiKey else {
            return .errorCode(404, "TOKEN_NOT_FOUND")
        }
        if users[index].password != nil { return .errorCode(409, "PASSWORD_ALREADY_CREATED") }
        guard users[index].invitesSent > 0, code == configuration.nonce else { return .errorCode(409, "INVITE_OR_INVITE_CODE_INVALID") }
        if let problem = Self.passwordProblem(password) { return .errorCode(409, problem) }
        users[index].password = password
        if let mobile {
            (users[index].mobileCountryCode, users[index].mobileNumber) = mobile
            users[index].smsEnrolled = false  // "the new number is left unverified — it must be enrolled afterwards"
        }
        let session = openSession(user: users[index], apiKey: call.apiKey, tokenType: users[index].loginTokenType, steppedUp: false, now: call.now)
        return .json(200, ["token": session.token])
    }
}

extension SimulatorState {
    /// `POST /passwords/lost_password/start` (api-key only) `{email}` → 204 and the "email" with the sandbox nonce
    /// (`Configuration.nonce`) is sent; 409 `ACCOUNT_NOT_FOUND` for an email the programme does not have.
    mutating func lostPasswordStart(_ call: SimulatorCall) -> SimulatorReply {
        guard let body = JSONBody.decode(call.body) as? [String: Any] else { return .badRequest([InvalidField(fieldName: "email", error: "REQUIRED")]) }
        var check = FieldValidator(body)
        let email = check.string("email", required: true, minLength: 1, pattern: FieldValidator.emailPattern)
        guard check.isValid, let email else { return .badRequest(check.invalidFields) }
        guard let index = userIndex(email: email, apiKey: call.apiKey) else { return .errorCode(409, "ACCOUNT_NOT_FOUND") }
        users[index].lostPasswordPending = true
        return .empty(204)
    }

    /// `POST /passwords/lost_password/resume` (api-key only) `{email, nonce, newPassword}` → 200 `{token}`: the new
    /// password is set and any lockout lifted. 409 `INVALID_NONCE_OR_EMAIL` (no lost-password start for the email,
    /// or another nonce), `PASSWORD_ALREADY_USED` (the current one), `PASSWORD_TOO_SHORT|LONG|SIMPLE`.
    mutating func lostPasswordResume(_ call: SimulatorCall) -> SimulatorReply {
        guard let body = JSONBody.decode(call.body) as? [String: Any] else {
            return .badRequest(["email", "nonce", "newPassword"].map { InvalidField(fieldName: $0, error: "REQUIRED") })
        }
        var check = FieldValidator(body)
        let email = check.string("email", required: true, minLength: 1, pattern: FieldValidator.emailPattern)
        let nonce = check.string("nonce", required: true, pattern: "^[0-9]{6}$")
        let password = Self.sensitivePassword(&check, "newPassword")
        guard check.isValid, let email, let nonce, let password else { return .badRequest(check.invalidFields) }
        guard let index = userIndex(email: email, apiKey: call.apiKey), users[index].lostPasswordPending, nonce == configuration.nonce else {
            return .errorCode(409, "INVALID_NONCE_OR_EMAIL")
        }
        if let problem = Self.passwordProblem(password) { return .errorCode(409, problem) }
        if users[index].password == password { return .errorCode(409, "PASSWORD_ALREADY_USED") }
        users[index].password = password
        users[index].lostPasswordPending = false
        users[index].lockedUntil = nil
        users[index].consecutiveLoginFailures = 0
        let session = openSession(user: users[index], apiKey: call.apiKey, tokenType: users[index].loginTokenType, steppedUp: false, now: call.now)
        return .json(200, ["token": session.token])
    }

    /// `POST /passwords/update` `{oldPassword, newPassword}` → 200 `{passwordInfo {identityId, expiryDate: 0}, token}`
    /// (a new token; the old one keeps working). 409 `PASSWORD_INCORRECT`, `PASSWORD_ALREADY_USED`, `PASSWORD_TOO_*`.
    mutating func passwordUpdate(_ call: SimulatorCall) -> SimulatorReply {
        guard let body = JSONBody.decode(call.body) as? [String: Any] else {
            return .badRequest(["oldPassword", "newPassword"].map { InvalidField(fieldName: $0, error: "REQUIRED") })
        }
        var check = FieldValidator(body)
        let old = Self.sensitivePassword(&check, "oldPassword")
        let new = Self.sensitivePassword(&check, "newPassword")
        guard check.isValid, let old, let new else { return .badRequest(check.invalidFields) }
        guard let principal = call.principal, let index = userIndex[principal.userID] else { return .unauthorized }
        guard users[index].password == old else { return .errorCode(409, "PASSWORD_INCORRECT") }
        if let problem = Self.passwordProblem(new) { return .errorCode(409, problem) }
        if new == old { return .errorCode(409, "PASSWORD_ALREADY_USED") }
        users[index].password = new
        let session = openSession(user: users[index], apiKey: call.apiKey, tokenType: "ACCESS", steppedUp: false, now: call.now)
        return .json(200, [
            "passwordInfo": ["identityId": ["type": users[index].identityType, "id": users[index].identityID], "expiryDate": 0],
            "token": session.token,
        ])
    }

    /// `POST /authentication_factors/otp/{channel}`: starts enrolling the user's mobile for SMS OTP (204; the sandbox
    /// OTP is `Configuration.nonce`). 409 `CHANNEL_NOT_SUPPORTED` (not SMS), `MOBILE_NUMBER_INVALID` (no mobile),
    /// `CHANNEL_ALREADY_REGISTERED`.
    mutating func enrolOTP(_ call: SimulatorCall) -> SimulatorReply {
        guard call.pathParameters["channel"] == "SMS" else { return .errorCode(409, "CHANNEL_NOT_SUPPORTED") }
        guard let principal = call.principal, let index = userIndex[principal.userID] else { return .unauthorized }
        guard users[index].mobileNumber != nil else { return .errorCode(409, "MOBILE_NUMBER_INVALID") }
        guard !users[index].smsEnrolled else { return .errorCode(409, "CHANNEL_ALREADY_REGISTERED") }
        users[index].smsEnrolmentPending = true
        return .empty(204)
    }

    /// `POST /authentication_factors/otp/{channel}/verify` `{verificationCode}` → 204, the user is enrolled (step-up
    /// works from now on). 409 `VERIFICATION_CODE_INVALID`, `VERIFICATION_CODE_EXPIRED` (no enrolment started),
    /// `CHANNEL_ALREADY_REGISTERED`, `CHANNEL_NOT_SUPPORTED`.
    mutating func enrolOTPVerify(_ call: SimulatorCall) -> SimulatorReply {
        guard let body = JSONBody.decode(call.body) as? [String: Any] else { return .badRequest([InvalidField(fieldName: "verificationCode", error: "REQUIRED")]) }
        var check = FieldValidator(body)
        let code = check.string("verificationCode", required: true, pattern: "^[0-9]{6}$")
        guard check.isValid, let code else { return .badRequest(check.invalidFields) }
        guard call.pathParameters["channel"] == "SMS" else { return .errorCode(409, "CHANNEL_NOT_SUPPORTED") }
        guard let principal = call.principal, let index = userIndex[principal.userID] else { return .unauthorized }
        guard !users[index].smsEnrolled else { return .errorCode(409, "CHANNEL_ALREADY_REGISTERED") }
        guard users[index].smsEnrolmentPending else { return .errorCode(409, "VERIFICATION_CODE_EXPIRED") }
        guard code == configuration.nonce else { return .errorCode(409, "VERIFICATION_CODE_INVALID") }
        users[index].smsEnrolmentPending = false
        users[index].smsEnrolled = true
        return .empty(204)
    }

    /// The user with `email` (any case) in the programme of `apiKey`.
    func userIndex(email: String, apiKey: String) -> Int? {
        users.firstIndex { $0.email.lowercased() == email.lowercased() && identities[$0.identityID]?.apiKey == apiKey }
    }
}
