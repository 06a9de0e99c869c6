/// Weavr's `BillingAddress`.
public struct BillingAddress: Sendable, Equatable, Codable {
    public var addressLine1: String
    public var addressLine2: String?
    public var city: String
    public var postCode: String
    public var state: String?
    /// ISO 3166 alpha-2, upper case.
    public var country: String

    public init(addressLine1: String, addressLine2: String? = nil, city: String, postCode: String, state: String? = nil, country: String) {
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.city = city
        self.postCode = postCode
        self.state = state
        self.country = country
    }
}
