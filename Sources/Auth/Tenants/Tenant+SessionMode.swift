extension Tenant {
    /// How a frontend carries its session token.
    public enum SessionMode: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// Browser: `__Host-gw_session` cookie plus a CSRF token.
        case cookie
        /// Mobile / server-to-server: `Authorization: Bearer`.
        case bearer

        /// Orders by raw value, for stable output.
        public static func < (lhs: SessionMode, rhs: SessionMode) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }
}
