/// The fields to change on a tenant; `nil` leaves a field as it is.
public struct TenantUpdate: Sendable {
    /// New display name.
    public var name: String?
    /// New Weavr base URL.
    public var weavrBaseURL: String?
    /// New card profile tables (replace the old prepaid and debit ones; the transfer profile is kept).
    public var cardProfiles: Tenant.CardProfiles?
    /// A new transfer profile; `""` removes it.
    public var transferProfile: String?
    /// New allowed origins (replace the old ones).
    public var allowedOrigins: [String]?
    /// New session modes.
    public var sessionModes: Set<Tenant.SessionMode>?
    /// Quota overrides, merged over the current quotas.
    public var quotas: [String: Int]?
    /// A new Weavr api-key, encrypted before it is stored.
    public var weavrAPIKey: String?

    /// Creates an update; every field defaults to "unchanged".
    public init(
        name: String? = nil,
        weavrBaseURL: String? = nil,
        cardProfiles: Tenant.CardProfiles? = nil,
        allowedOrigins: [String]? = nil,
        sessionModes: Set<Tenant.SessionMode>? = nil,
        quotas: [String: Int]? = nil,
        weavrAPIKey: String? = nil,
        transferProfile: String? = nil
    ) {
        self.transferProfile = transferProfile
        self.name = name
        self.weavrBaseURL = weavrBaseURL
        self.cardProfiles = cardProfiles
        self.allowedOrigins = allowedOrigins
        self.sessionModes = sessionModes
        self.quotas = quotas
        self.weavrAPIKey = weavrAPIKey
    }
}

extension TenantUpdate: CustomStringConvertible {
    /// Lists the changed fields; the api-key shows only as `weavrAPIKey: <set>`.
    public var description: String {
        var fields: [String] = []
        if let name { fields.append("name: \(name)") }
        if let weavrBaseURL { fields.append("weavrBaseURL: \(weavrBaseURL)") }
        if let cardProfiles { fields.append("cardProfiles: \(cardProfiles)") }
        if let transferProfile { fields.append("transferProfile: \(transferProfile)") }
        if let allowedOrigins { fields.append("allowedOrigins: \(allowedOrigins)") }
        if let sessionModes { fields.append("sessionModes: \(sessionModes.sorted().map(\.rawValue))") }
        if let quotas { fields.append("quotas: \(quotas.sorted { $0.key < $1.key })") }
        if weavrAPIKey != nil { fields.append("weavrAPIKey: <set>") }
        return "TenantUpdate(\(fields.joined(separator: ", ")))"
    }
}

extension TenantUpdate: CustomDebugStringConvertible {
    /// Same as `description`.
    public var debugDescription: String { description }
}

extension TenantUpdate: CustomReflectable {
    /// Hides the api-key from `dump` and other mirrors.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }
}
