extension TenantCommands {
    /// The options of `tenant add` and `tenant update`, as parsed from the command line.
    /// `nil` means "not given". There is deliberately no api-key option.
    struct Arguments: Sendable {
        /// `--id` (add only).
        var id: String?
        /// `--name`.
        var name: String?
        /// `--weavr-base-url`.
        var weavrBaseURL: String?
        /// `--prepaid-profile EUR=ID`, repeatable.
        var prepaidProfiles: [String]?
        /// `--debit-profile EUR=ID`, repeatable.
        var debitProfiles: [String]?
        /// `--transfer-profile ID` (`""` on update removes it).
        var transferProfile: String?
        /// `--allowed-origin https://app.example.com`, repeatable.
        var allowedOrigins: [String]?
        /// `--session-mode cookie|bearer`, repeatable.
        var sessionModes: [String]?
        /// `--quota cards.issue=100`, repeatable.
        var quotas: [String]?

        /// Creates the arguments; every option defaults to "not given".
        init(
            id: String? = nil, name: String? = nil, weavrBaseURL: String? = nil,
            prepaidProfiles: [String]? = nil, debitProfiles: [String]? = nil,
            allowedOrigins: [String]? = nil, sessionModes: [String]? = nil, quotas: [String]? = nil, transferProfile: String? = nil
        ) {
            self.transferProfile = transferProfile
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
