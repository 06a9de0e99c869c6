/// One entry of a 400's `syntaxErrors.invalidFields`.
public struct WeavrInvalidField: Sendable, Equatable, Codable {
    /// The offending field, dotted for nested ones (`billingAddress.country`).
    public var fieldName: String
    /// `REQUIRED`, `HAS_TEXT`, `REQUIRES`, `SIZE`, `RANGE`, `IN`, `NOT_IN`, `REGEX`, `EXACTLY`, `AT_LEAST`, `AT_MOST`, `ALL_OR_NONE`.
    public var error: String
    /// The rule's parameters (bounds, allowed values).
    public var params: [String]

    public init(fieldName: String, error: String, params: [String] = []) {
        self.fieldName = fieldName
        self.error = error
        self.params = params
    }

    private enum CodingKeys: String, CodingKey {
        case fieldName, error, params
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fieldName = try container.decodeIfPresent(String.self, forKey: .fieldName) ?? ""
        error = try container.decodeIfPresent(String.self, forKey: .error) ?? ""
        params = try container.decodeIfPresent([String].self, forKey: .params) ?? []
    }
}
