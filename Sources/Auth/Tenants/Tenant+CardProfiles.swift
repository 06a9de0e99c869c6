extension Tenant {
    /// Weavr profile ids: for issuing cards, by mode and ISO 4217 currency code, and the transfer profile
    /// (`POST /transfers` between a user's own instruments; none: `/v1/transfers` is refused).
    public struct CardProfiles: Sendable, Hashable, Codable {
        /// Prepaid cards, e.g. `["EUR": "110…", "GBP": "110…"]`.
        public var prepaid: [String: String]
        /// Debit cards (linked to a managed account), same shape.
        public var debit: [String: String]
        /// The transfer profile, or nil.
        public var transfer: String?

        /// Creates the table; everything defaults to none.
        public init(prepaid: [String: String] = [:], debit: [String: String] = [:], transfer: String? = nil) {
            self.prepaid = prepaid
            self.debit = debit
            self.transfer = transfer
        }
    }
}
