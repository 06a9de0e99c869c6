/// Weavr's `{countryCode: "+44", number: "7700900001"}`.
public struct MobileNumber: Sendable, Equatable, Codable {
    public var countryCode: String
    public var number: String

    public init(countryCode: String, number: String) {
        self.countryCode = countryCode
        self.number = number
    }
}
