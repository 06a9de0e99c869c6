extension Tenant {
    /// Weavr card profile ids for issuing cards, by mode and ISO 4217 currency code.
    public struct CardProfiles: Sendable, Hashable, Codable {
        /// Prepaid cards, e.g. `["EUR": "110…", "GBP": "110…"]`.
        public var prepaid: [String: String]
        /// Debit cards (linked to a managed account), same shape.
        public var debit: [String: String]

        /// Creates the table; both default to none.
        public init(prepaid: [String: String] = [:], debit: [String: String] = [:]) {
            self.prepaid = prepaid
            self.debit = debit
        }
    }
}
