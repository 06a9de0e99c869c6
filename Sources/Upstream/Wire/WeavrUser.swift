/// Weavr's `User` (an authorised user of an identity; root users are listed too).
public struct WeavrUser: Sendable, Equatable, Codable, WeavrPageItem {
    public static let pageKey = "users"

    public var id: String
    public var identity: IdentityID
    public var name: String
    public var surname: String
    public var email: String
    public var mobile: MobileNumber?
    public var active: Bool
    public var dateOfBirth: DateOfBirth?
    public var tag: String?
    public var countryOfResidence: String?
    public var locale: String?
    public var brand: String?
    /// `CARD_ASSIGNEE`, `CARDS_MANAGEMENT_ROLE`, `FUNDS_MANAGEMENT_ROLE`, `ACCESS_MANAGEMENT_ROLE`, `ADMIN`.
    public var roles: [String]?
}
