/// Body of `PATCH /users/{user_id}` (Weavr's `UserPatchRequest`): only the members set change.
public struct UserPatchBody: Sendable, Equatable, Codable {
    public var name: String?
    public var surname: String?
    public var email: String?
    public var mobile: MobileNumber?
    public var dateOfBirth: DateOfBirth?

    public init(name: String? = nil, surname: String? = nil, email: String? = nil, mobile: MobileNumber? = nil, dateOfBirth: DateOfBirth? = nil) {
        self.name = name
        self.surname = surname
        self.email = email
        self.mobile = mobile
        self.dateOfBirth = dateOfBirth
    }
}
