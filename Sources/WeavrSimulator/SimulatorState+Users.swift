extension SimulatorState {
    static let userRoles = ["CARD_ASSIGNEE", "CARDS_MANAGEMENT_ROLE", "FUNDS_MANAGEMENT_ROLE", "ACCESS_MANAGEMENT_ROLE", "ADMIN"]

    /// `mobile`, `dateOfBirth` and `roles` of a user body (create and patch check them alike).
    static func optionalUserFields(_ body: [String: Any], _ check: inout FieldValidator) -> (mobile: (String, String)?, dateOfBirth: [String: Int]?, roles: [String]?) {
        var mobile: (String, String)?
        if let object = check.object("mobile") {
            var nested = FieldValidator(object, prefix: "mobile")
            let code = nested.string("countryCode", required: true, minLength: 1, maxLength: 4, pattern: #"^\+[0-9]+$"#)
            let number = nested.string("number", required: true, pattern: "^[0-9]{1,12}$")
            check.merge(nested)
            if let code, let number { mobile = (code, number) }
        }
        var dateOfBirth: [String: Int]?
        if let object = check.object("dateOfBirth") {
            var parts: [String: Int] = [:]
            for (field, range) in [("year", 1900...2100), ("month", 1...12), ("day", 1...31)] {
                if let value = object[field] as? Int, range.contains(value) {
                    parts[field] = value
                } else {
                    check.fail("dateOfBirth.\(field)", object[field] == nil ? "REQUIRED" : "RANGE", [String(range.lowerBound), String(range.upperBound)])
                }
            }
            dateOfBirth = parts
        }
        var roles: [String]?
        if let raw = body["roles"] {
            if let list = raw as? [String], list.allSatisfy(SimulatorState.userRoles.contains) {
                roles = list
            } else {
                check.fail("roles", "IN", SimulatorState.userRoles)
            }
        }
        return (mobile, dateOfBirth, roles)
    }

    /// `POST /users` (and the bulk equivalent, which passes `requireStepUp: false`: the bulk was submitted in-session).
    mutating func createUser(body bytes: [UInt8], principal: SimulatorPrincipal, requireStepUp: Bool) -> SimulatorReply {
        guard let identity = identities[principal.identityID] else { return .unauthorized }
        guard let body = JSONBody.decode(bytes) as? [String: Any] else {
            return .badRequest(["name", "surname", "email"].map { InvalidField(fieldName: $0, error: "REQUIRED") })
        }
        var check = FieldValidator(body)
        let name = check.string("name", required: true, minLength: 1, maxLength: 50)
        let surname = check.string("surname", required: true, minLength: 1, maxLength: 50)
        let email = check.string("email", required: true, minLength: 1, pattern: FieldValidator.emailPattern)
        let tag = check.string("tag", maxLength: 50, pattern: FieldValidator.tagPattern)
        let country = check.string("countryOfResidence", minLength: 2, maxLength: 2, pattern: "^[A-Z]+$")
        let locale = check.string("locale", maxLength: 5, pattern: "^[a-z]{2}(-[A-Z]{2})?$")
        check.string("brand", maxLength: 25, pattern: "^[a-zA-Z0-9]+$")
        let (mobile, dateOfBirth, roles) = Self.optionalUserFields(body, &check)
        guard check.isValid, let name, let surname, let email else { return .badRequest(check.invalidFields) }
        if requireStepUp && !principal.steppedUp { return .errorCode(403, "STEP_UP_REQUIRED") }
        guard !users.contains(where: { $0.email.lowercased() == email.lowercased() }) else { return .errorCode(409, "EMAIL_NOT_UNIQUE") }
        let user = SimulatedUser(
            id: newID(), identityID: identity.id, identityType: identity.type, credentialType: "USER", name: name, surname: surname,
            email: email, password: nil, active: true, mobileCountryCode: mobile?.0, mobileNumber: mobile?.1, tag: tag, roles: roles,
            dateOfBirth: dateOfBirth, countryOfResidence: country, locale: locale, loginTokenType: "ACCESS"
        )
        userIndex[user.id] = users.count
        users.append(user)
        return .json(200, user.json)
    }

    /// `PATCH /users/{user_id}` (`UserPatchRequest`): the members given change → 200 the user; 409 `EMAIL_NOT_UNIQUE`.
    mutating func updateUser(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let body = JSONBody.decode(call.body) as? [String: Any] else { return .json(400, ["message": "Request body is not a JSON object"]) }
        var check = FieldValidator(body)
        let name = check.string("name", minLength: 1, maxLength: 50)
        let surname = check.string("surname", minLength: 1, maxLength: 50)
        let email = check.string("email", minLength: 1, pattern: FieldValidator.emailPattern)
        let tag = check.string("tag", maxLength: 50, pattern: FieldValidator.tagPattern)
        let locale = check.string("locale", maxLength: 5, pattern: "^[a-z]{2}(-[A-Z]{2})?$")
        check.string("brand", maxLength: 25, pattern: "^[a-zA-Z0-9]+$")
        let (mobile, dateOfBirth, roles) = Self.optionalUserFields(body, &check)
        guard check.isValid else { return .badRequest(check.invalidFields) }
        guard let index = userIndex[call.pathParameters["user_id"] ?? ""], users[index].identityID == principal.identityID else { return .notFound("User") }
        if roles != nil, users[index].id == principal.userID { return .errorCode(409, "CANNOT_MODIFY_OWN_ROLES") }
        if let email, users.contains(where: { $0.id != users[index].id && $0.email.lowercased() == email.lowercased() }) {
            return .errorCode(409, "EMAIL_NOT_UNIQUE")
        }
        if let name { users[index].name = name }
        if let surname { users[index].surname = surname }
        if let email { users[index].email = email }
        if let tag { users[index].tag = tag }
        if let locale { users[index].locale = locale }
        if let mobile, mobile != (users[index].mobileCountryCode ?? "", users[index].mobileNumber ?? "") {
            (users[index].mobileCountryCode, users[index].mobileNumber) = mobile
            users[index].smsEnrolled = false  // "the new mobile number should be enrolled for Authentication Factors"
        }
        if let dateOfBirth { users[index].dateOfBirth = dateOfBirth }
        if let roles { users[index].roles = roles }
        return .json(200, users[index].json)
    }

    /// `POST /users/{user_id}/activate|deactivate` → 204 (either again is a no-op). A deactivated user cannot log
    /// in and their tokens stop working at once; a user cannot deactivate themselves (403 `INSUFFICIENT_PERMISSIONS`:
    /// "another active user would need to log in so as to re-activate").
    mutating func setUserActive(_ active: Bool, _ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let index = userIndex[call.pathParameters["user_id"] ?? ""], users[index].identityID == principal.identityID else { return .notFound("User") }
        if !active, users[index].id == principal.userID { return .errorCode(403, "INSUFFICIENT_PERMISSIONS") }
        users[index].active = active
        if !active {
            let userID = users[index].id
            sessions = sessions.filter { $0.value.userID != userID }
        }
        return .empty(204)
    }

    /// `GET /users` with filters `active`, `email`, `tag`, `roles` (any of); root users included.
    func listUsers(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        let active = call.queryValue("active").map { $0 == "true" }
        let roles = (call.query["roles"] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
        let matching = users.filter { user in
            guard user.identityID == principal.identityID else { return false }
            if let active, user.active != active { return false }
            if let email = call.queryValue("email"), user.email.lowercased() != email.lowercased() { return false }
            if let tag = call.queryValue("tag"), user.tag != tag { return false }
            if !roles.isEmpty, !(user.roles ?? []).contains(where: roles.contains) { return false }
            return true
        }
        return page(matching.map(\.json), key: "users", call: call)
    }

    /// `GET /users/{user_id}`.
    func getUser(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let user = users[safe: userIndex[call.pathParameters["user_id"] ?? ""]], user.identityID == principal.identityID else {
            return .notFound("User")
        }
        return .json(200, user.json)
    }

    /// `POST /users/{user_id}/invite`: a user who already has a password has consumed their invite.
    mutating func inviteUser(id: String?, principal: SimulatorPrincipal) -> SimulatorReply {
        guard let index = userIndex[id ?? ""], users[index].identityID == principal.identityID else { return .notFound("User") }
        guard users[index].password == nil else { return .errorCode(409, "INVITE_ALREADY_CONSUMED") }
        users[index].invitesSent += 1
        return .empty(204)
    }
}
