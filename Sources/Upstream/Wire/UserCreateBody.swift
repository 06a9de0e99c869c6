/// Body of `POST /users` (and each item of `POST /bulks/users`).
public struct UserCreateBody: Sendable, Equatable, Codable {
    public var name: String
    public var surname: String
    public var email: String
    public var mobile: MobileNumber?
    public var dateOfBirth: DateOfBirth?
    public var tag: String?
    public var countryOfResidence: String?
    public var locale: String?
    public var brand: String?
    public var roles: [String]?

    public init(
        name: String, surname: String, email: String, mobile: MobileNumber? = nil, dateOfBirth: DateOfBirth? = nil, tag: String? = nil,
        countryOfResidence: String? = nil, locale: String? = nil, brand: String? = nil, roles: [String]? = nil
    ) {
        self.name = name
        self.surname = surname
        self.email = email
        self.mobile = mobile
        self.dateOfBirth = dateOfBirth
        self.tag = tag
        self.countryOfResidence = countryOfResidence
        self.locale = locale
        self.brand = brand
        self.roles = roles
    }
}
