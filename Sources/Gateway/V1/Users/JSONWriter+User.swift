import Upstream

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
