extension TenantCommands {
    /// The options of `tenant add` and `tenant update`, as parsed from the command line.
    /// `nil` means "not given". There is deliberately no api-key option.
    public struct Arguments: Sendable {
        /// `--id` (add only).
        public var id: String?
        /// `--name`.
        public var name: String?
        /// `--weavr-base-url`.
        public var weavrBaseURL: String?
        /// `--prepaid-profile EUR=ID`, repeatable.
        public var prepaidProfiles: [String]?
        /// `--debit-profile EUR=ID`, repeatable.
        public var debitProfiles: [String]?
        /// `--allowed-origin https://app.example.com`, repeatable.
        public var allowedOrigins: [String]?
        /// `--session-mode cookie|bearer`, repeatable.
        public var sessionModes: [String]?
        /// `--quota cards.issue=100`, repeatable.
        public var quotas: [String]?

        /// Creates the arguments; every option defaults to "not given".
        public init(
            id: String? = nil, name: String? = nil, weavrBaseURL: String? = nil,
            prepaidProfiles: [String]? = nil, debitProfiles: [String]? = nil,
            allowedOrigins: [String]? = nil, sessionModes: [String]? = nil, quotas: [String]? = nil
        ) {
            self.id = id
            self.name = name
            self.weavrBaseURL = weavrBaseURL
            self.prepaidProfiles = prepaidProfiles
            self.debitProfiles = debitProfiles
            self.allowedOrigins = allowedOrigins
            self.sessionModes = sessionModes
            self.quotas = quotas
        }
    }
}
