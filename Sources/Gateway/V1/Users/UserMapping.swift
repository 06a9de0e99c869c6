import Upstream

// Users, both directions in one place: public input → Weavr bodies (`UserInput`), Weavr users → public JSON.

/// The public user-creation object `{name, surname, email, mobile? {countryCode, number}, roles?}`
/// (`POST /v1/users` and each item of `POST /v1/bulk/users`), checked and turned into Weavr's body.
enum UserInput {
    /// Public role names (lower-case) and Weavr's.
    static let roles: [String: String] = [
        "card_assignee": "CARD_ASSIGNEE",
        "cards_management_role": "CARDS_MANAGEMENT_ROLE",
        "funds_management_role": "FUNDS_MANAGEMENT_ROLE",
        "access_management_role": "ACCESS_MANAGEMENT_ROLE",
        "admin": "ADMIN",
    ]

    /// Reads one user object; failures go to `reader` (with its prefix) and the result is nil.
    static func read(_ reader: inout FieldReader) -> UserCreateBody? {
        let before = reader.invalid.count
        let name = reader.string("name", length: 1...50)
        let surname = reader.string("surname", length: 1...50)
        let email = reader.string("email", length: 3...254)
        if let email, !isEmail(email) { reader.fail("email", "must be an email address") }
        var mobile: MobileNumber?
        if let object = reader.optionalObject("mobile") {
            var nested = FieldReader(object, prefix: reader.prefix + "mobile.")
            let code = nested.string("countryCode", length: 2...4)
            if let code, !(code.hasPrefix("+") && code.utf8.dropFirst().allSatisfy(isDigit)) {
                nested.fail("countryCode", "must be + and 1–3 digits")
            }
            let number = nested.string("number", length: 1...12)
            if let number, !number.utf8.allSatisfy(isDigit) { nested.fail("number", "must be 1–12 digits") }
            reader.merge(nested)
            if let code, let number { mobile = MobileNumber(countryCode: code, number: number) }
        }
        var weavrRoles: [String]?
        if let list = reader.optionalArray("roles", count: 0...roles.count) {
            var mapped: [String] = []
            for value in list {
                guard let text = value as? String, let role = roles[text] else {
                    reader.fail("roles", "each must be one of " + roles.keys.sorted().joined(separator: ", "))
                    break
                }
                if !mapped.contains(role) { mapped.append(role) }
            }
            weavrRoles = mapped
        }
        guard reader.invalid.count == before, let name, let surname, let email else { return nil }
        return UserCreateBody(name: name, surname: surname, email: email, mobile: mobile, roles: weavrRoles)
    }

    /// `local@domain.tld` without spaces: the shape Weavr checks, so Weavr's 400 rarely reaches a client.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: \.isWhitespace) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

extension JSONWriter {
    /// The public user: `{id, name, surname, email, mobile {countryCode, number} | null, active, roles}`.
    /// Weavr's user carries no creation time, so there is no `createdAt`.
    mutating func user(_ user: WeavrUser) {
        beginObject()
        field("id", user.id)
        field("name", user.name)
        field("surname", user.surname)
        field("email", user.email)
        if let mobile = user.mobile {
            key("mobile")
            beginObject()
            field("countryCode", mobile.countryCode)
            field("number", mobile.number)
            endObject()
        } else {
            field("mobile", nil as String?)
        }
        field("active", user.active)
        key("roles")
        beginArray()
        for role in user.roles ?? [] { value(role.lowercased()) }
        endArray()
        endObject()
    }
}
