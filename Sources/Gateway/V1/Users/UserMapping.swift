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
        let mobile = readMobile(&reader)
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

    /// The fields of `PATCH /v1/users/{id}` `{name?, surname?, email?, mobile?, dateOfBirth?}` (at least one; no
    /// others) → Weavr's patch body; nil when a failure was recorded.
    static let patchFields = ["name", "surname", "email", "mobile", "dateOfBirth"]

    static func readPatch(_ reader: inout FieldReader) -> UserPatchBody? {
        let before = reader.invalid.count
        for key in reader.object.keys.sorted() where !patchFields.contains(key) {
            reader.fail(key, "unknown member; a user update takes " + patchFields.joined(separator: ", "))
        }
        if !patchFields.contains(where: reader.has) { reader.fail("name", "give at least one of " + patchFields.joined(separator: ", ")) }
        var body = UserPatchBody()
        body.name = reader.optionalString("name", length: 1...50)
        body.surname = reader.optionalString("surname", length: 1...50)
        body.email = reader.optionalString("email", length: 3...254)
        if let email = body.email, !isEmail(email) { reader.fail("email", "must be an email address") }
        body.mobile = readMobile(&reader)
        if let text = reader.optionalString("dateOfBirth", length: 10...10) {
            body.dateOfBirth = date(text)
            if body.dateOfBirth == nil { reader.fail("dateOfBirth", "must be a date YYYY-MM-DD (1900–2100)") }
        }
        return reader.invalid.count == before ? body : nil
    }

    /// `YYYY-MM-DD` → Weavr's `{year, month, day}` (a real calendar day, 1900–2100).
    static func date(_ text: String) -> DateOfBirth? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy(isDigit) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1900...2100).contains(year), (1...12).contains(month)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day) ? DateOfBirth(year: year, month: month, day: day) : nil
    }

    /// An optional `mobile {countryCode, number}`.
    static func readMobile(_ reader: inout FieldReader) -> MobileNumber? {
        guard let object = reader.optionalObject("mobile") else { return nil }
        var nested = FieldReader(object, prefix: reader.prefix + "mobile.")
        let code = nested.string("countryCode", length: 2...4)
        if let code, !(code.hasPrefix("+") && code.utf8.dropFirst().allSatisfy(isDigit)) {
            nested.fail("countryCode", "must be + and 1–3 digits")
        }
        let number = nested.string("number", length: 1...12)
        if let number, !number.utf8.allSatisfy(isDigit) { nested.fail("number", "must be 1–12 digits") }
        reader.merge(nested)
        guard let code, let number else { return nil }
        return MobileNumber(countryCode: code, number: number)
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
    /// The public user: `{id, name, surname, email, mobile {countryCode, number} | null, dateOfBirth | null, active, roles}`
    /// (`dateOfBirth` as `YYYY-MM-DD`).
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
        field("dateOfBirth", user.dateOfBirth.map { date in
            func pad(_ value: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
            return pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
        })
        field("active", user.active)
        key("roles")
        beginArray()
        for role in user.roles ?? [] { value(role.lowercased()) }
        endArray()
        endObject()
    }
}
