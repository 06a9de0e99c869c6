/// A tenant field that does not have the expected form. Names the field and the form,
/// never echoes the value (it may be an api-key).
public struct TenantValidationError: Error, Sendable, Hashable {
    /// The field, e.g. `id`, `weavrBaseURL`, `allowedOrigins[2]`, `quotas.cards.issue`.
    public let field: String
    /// The expected form, e.g. `a slug matching ^[a-z0-9][a-z0-9-]{1,62}$`.
    public let expected: String

    /// Creates the error.
    public init(field: String, expected: String) {
        self.field = field
        self.expected = expected
    }
}

extension TenantValidationError: CustomStringConvertible {
    /// `invalid <field>: expected <form>`.
    public var description: String { "invalid \(field): expected \(expected)" }
}
