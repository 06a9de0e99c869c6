/// Whose key it is: keys are per tenant + user, so two users may use the same key independently.
struct IdempotencyScope: Sendable, Hashable {
    var tenantID: String
    var userID: String
    var key: String
}
