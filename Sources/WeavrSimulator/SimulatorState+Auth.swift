extension SimulatorState {
    /// The outcome of checking a bearer token.
    enum TokenCheck {
        case valid(SimulatorSession)
        case invalid
    }

    /// Finds the session for `token` under `apiKey`; an idle-expired token is removed. A valid token's
    /// idle timer restarts (Weavr: "valid for 5 minutes from last activity").
    mutating func checkToken(_ token: String?, apiKey: String, now: Int64) -> TokenCheck {
        guard let token, var session = sessions[token], session.apiKey == apiKey else { return .invalid }
        if now - session.lastUsed > configuration.tokenIdleTimeout.milliseconds {
            sessions[token] = nil
            return .invalid
        }
        session.lastUsed = now
        sessions[token] = session
        return .valid(session)
    }

    /// `POST /login_with_password`.
    mutating func login(_ call: SimulatorCall) -> SimulatorReply {
        guard let body = JSONBody.decode(call.body) as? [String: Any] else {
            return .badRequest([InvalidField(fieldName: "email", error: "REQUIRED"), InvalidField(fieldName: "password", error: "REQUIRED")])
        }
        var check = FieldValidator(body)
        let email = check.string("email", required: true, minLength: 1, pattern: FieldValidator.emailPattern)
        var password: String?
        if let passwordObject = check.object("password", required: true) {
            var inner = FieldValidator(passwordObject, prefix: "password")
            password = inner.string("value", required: true, minLength: 1, maxLength: 100)
            check.merge(inner)
        }
        guard check.isValid, let email, let password else { return .badRequest(check.invalidFields) }
        guard let index = users.firstIndex(where: { $0.email.lowercased() == email.lowercased() }),
              identities[users[index].identityID]?.apiKey == call.apiKey
        else {
            return .empty(403)
        }
        if let lockedUntil = users[index].lockedUntil {
            if call.now < lockedUntil { return .empty(423) }
            users[index].lockedUntil = nil
            users[index].consecutiveLoginFailures = 0
        }
        guard users[index].active, let expected = users[index].password, expected == password else {
            users[index].consecutiveLoginFailures += 1
            if users[index].consecutiveLoginFailures >= configuration.maxConsecutiveLoginFailures {
                users[index].lockedUntil = call.now + configuration.lockoutDuration.milliseconds
                return .empty(423)
            }
            return .empty(403)
        }
        users[index].consecutiveLoginFailures = 0
        let user = users[index]
        let session = openSession(user: user, apiKey: call.apiKey, tokenType: user.loginTokenType, steppedUp: false, now: call.now)
        return .json(200, [
            "token": session.token,
            "tokenType": session.tokenType,
            "identity": ["type": user.identityType, "id": user.identityID],
            "credentials": ["type": user.credentialType, "id": user.id],
        ])
    }

    mutating func openSession(user: SimulatedUser, apiKey: String, tokenType: String, steppedUp: Bool, now: Int64) -> SimulatorSession {
        var generator = SystemRandomNumberGenerator()
        let token = "simtok." + (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
        let session = SimulatorSession(
            token: token, apiKey: apiKey, userID: user.id, identityID: user.identityID, tokenType: tokenType,
            steppedUp: steppedUp, lastUsed: now
        )
        sessions[token] = session
        return session
    }

    /// `POST /access_token`: exchanges a (valid) token for an ACCESS token of the requested identity.
    /// The new token keeps the presented token's step-up state [I].
    mutating func accessToken(_ call: SimulatorCall) -> SimulatorReply {
        guard let token = call.token, let session = sessions[token] else { return .empty(403) }
        guard let body = JSONBody.decode(call.body) as? [String: Any] else { return .badRequest([InvalidField(fieldName: "identity", error: "REQUIRED")]) }
        var check = FieldValidator(body)
        guard let identity = check.object("identity", required: true) else { return .badRequest(check.invalidFields) }
        var inner = FieldValidator(identity, prefix: "identity")
        let type = inner.string("type", required: true, allowed: ["CONSUMER", "CORPORATE"])
        let id = inner.string("id", required: true, pattern: FieldValidator.idPattern)
        check.merge(inner)
        guard check.isValid, let type, let id else { return .badRequest(check.invalidFields) }
        guard let user = users[safe: userIndex[session.userID]], user.identityID == id, user.identityType == type else { return .empty(403) }
        let exchanged = openSession(user: user, apiKey: call.apiKey, tokenType: "ACCESS", steppedUp: session.steppedUp, now: call.now)
        return .json(200, [
            "token": exchanged.token,
            "identity": ["type": user.identityType, "id": user.identityID],
            "credentials": ["type": user.credentialType, "id": user.id],
            "status": exchanged.steppedUp ? "STEPPED_UP" : "STANDARD",
        ])
    }

    /// `GET /identities`: the identities the user can act for (one per user here).
    func identitiesList(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal, let identity = identities[principal.identityID] else { return .unauthorized }
        return page([["id": ["type": identity.type, "id": identity.id], "name": identity.name]], key: "identities", call: call)
    }

    /// `POST /logout`: ends the token.
    mutating func logout(_ call: SimulatorCall) -> SimulatorReply {
        if let token = call.token { sessions[token] = nil }
        return .empty(204)
    }

    /// `POST /stepup/challenges/otp/{channel}`: "sends" the sandbox OTP.
    mutating func stepUpChallenge(_ call: SimulatorCall) -> SimulatorReply {
        guard call.pathParameters["channel"] == "SMS" else { return .errorCode(409, "CHANNEL_NOT_SUPPORTED") }
        guard let token = call.token, let principal = call.principal, let user = users[safe: userIndex[principal.userID]] else { return .unauthorized }
        guard user.smsEnrolled else { return .errorCode(409, "CHANNEL_NOT_REGISTERED") }
        sessions[token]?.challengePending = true
        return .empty(204)
    }

    /// `POST /stepup/challenges/otp/{channel}/verify`: the sandbox code steps the token up.
    mutating func stepUpVerify(_ call: SimulatorCall) -> SimulatorReply {
        guard let body = JSONBody.decode(call.body) as? [String: Any] else { return .badRequest([InvalidField(fieldName: "verificationCode", error: "REQUIRED")]) }
        var check = FieldValidator(body)
        let code = check.string("verificationCode", required: true, pattern: "^[0-9]{6}$")
        guard check.isValid, let code else { return .badRequest(check.invalidFields) }
        guard call.pathParameters["channel"] == "SMS" else { return .errorCode(409, "CHANNEL_NOT_SUPPORTED") }
        guard let token = call.token, let session = sessions[token] else { return .unauthorized }
        guard session.challengePending else { return .errorCode(409, session.steppedUp ? "ALREADY_VERIFIED" : "STATE_INVALID") }
        guard code == configuration.stepUpCode else { return .errorCode(409, "VERIFICATION_CODE_INVALID") }
        sessions[token]?.challengePending = false
        sessions[token]?.steppedUp = true
        return .empty(204)
    }
}

extension Array {
    subscript(safe index: Int?) -> Element? {
        guard let index, indices.contains(index) else { return nil }
        return self[index]
    }
}
