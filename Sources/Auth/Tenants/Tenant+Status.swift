extension Tenant {
    /// Whether the tenant is served.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Requests are served.
        case active
        /// Every request is refused; sessions stay revocable.
        case suspended
    }
}
