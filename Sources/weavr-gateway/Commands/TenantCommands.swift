import Auth

/// `weavr-gateway tenant add|list|show|update|suspend|activate|remove` as library calls:
/// each takes parsed arguments and returns text to print. Output never contains the api-key.
struct TenantCommands: Sendable {
    private let store: any TenantStore

    /// Commands over `store`.
    init(store: any TenantStore) {
        self.store = store
    }

    /// `tenant add`: creates the tenant; the api-key is read from `apiKey` (stdin or a file).
    func add(_ arguments: Arguments, apiKey: SecretInput) async throws -> String {
        let secret = try apiKey.read()
        let tenant = Tenant(
            id: arguments.id ?? "",
            name: arguments.name ?? "",
            weavrBaseURL: arguments.weavrBaseURL ?? "",
            cardProfiles: Tenant.CardProfiles(
                prepaid: try Self.pairs(arguments.prepaidProfiles, option: "--prepaid-profile", form: "CURRENCY=PROFILE_ID"),
                debit: try Self.pairs(arguments.debitProfiles, option: "--debit-profile", form: "CURRENCY=PROFILE_ID"),
                transfer: arguments.transferProfile.flatMap { $0.isEmpty ? nil : $0 }
            ),
            allowedOrigins: arguments.allowedOrigins ?? [],
            sessionModes: try Self.sessionModes(arguments.sessionModes) ?? [.cookie, .bearer],
            quotas: try Self.quotas(arguments.quotas)
        )
        let created = try await store.create(tenant, weavrAPIKey: secret)
        return "created tenant \(created.id)\n" + Self.render(created)
    }

    /// `tenant list`: one line per tenant.
    func list() async throws -> String {
        let tenants = try await store.list()
        guard !tenants.isEmpty else { return "no tenants\n" }
        return tenants.map { "\($0.id)\t\($0.status.rawValue)\t\($0.name)\t\($0.weavrBaseURL)\n" }.joined()
    }

    /// `tenant show ID`.
    func show(_ id: String) async throws -> String {
        guard let tenant = try await store.get(id) else { throw TenantStoreError.notFound(id: id) }
        return Self.render(tenant)
    }

    /// `tenant update ID`: changes the given fields; a new api-key only when `apiKey` is given.
    func update(_ id: String, _ arguments: Arguments, apiKey: SecretInput?) async throws -> String {
        let update = TenantUpdate(
            name: arguments.name,
            weavrBaseURL: arguments.weavrBaseURL,
            cardProfiles: try Self.profilesUpdate(arguments),
            allowedOrigins: arguments.allowedOrigins,
            sessionModes: try Self.sessionModes(arguments.sessionModes),
            quotas: try arguments.quotas.map { try Self.quotas($0) },
            weavrAPIKey: try apiKey?.read(),
            transferProfile: arguments.transferProfile
        )
        let updated = try await store.update(id, update)
        return "updated tenant \(updated.id)\n" + Self.render(updated)
    }

    /// `tenant suspend ID`.
    func suspend(_ id: String) async throws -> String {
        let tenant = try await store.setStatus(id, .suspended)
        return "tenant \(tenant.id) is suspended; running gateways on this database refuse its sessions within 1 s\n"
    }

    /// `tenant activate ID`.
    func activate(_ id: String) async throws -> String {
        let tenant = try await store.setStatus(id, .active)
        return "tenant \(tenant.id) is active\n"
    }

    /// `tenant remove ID`: deletes the tenant and its sessions.
    func remove(_ id: String) async throws -> String {
        try await store.delete(id)
        return "removed tenant \(id) and its sessions\n"
    }

    static func render(_ tenant: Tenant) -> String {
        func table(_ values: [String: String]) -> String {
            values.isEmpty ? "-" : values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        }
        return """
            id:               \(tenant.id)
            name:             \(tenant.name)
            status:           \(tenant.status.rawValue)
            weavr base url:   \(tenant.weavrBaseURL)
            weavr api-key:    set (encrypted at rest, never shown)
            prepaid profiles: \(table(tenant.cardProfiles.prepaid))
            debit profiles:   \(table(tenant.cardProfiles.debit))
            transfer profile: \(tenant.cardProfiles.transfer ?? "-")
            allowed origins:  \(tenant.allowedOrigins.isEmpty ? "-" : tenant.allowedOrigins.joined(separator: ", "))
            session modes:    \(tenant.sessionModes.sorted().map(\.rawValue).joined(separator: ", "))
            daily quotas:     \(table(tenant.quotas.mapValues(String.init)))

            """
    }

    private static func profilesUpdate(_ arguments: Arguments) throws -> Tenant.CardProfiles? {
        guard arguments.prepaidProfiles != nil || arguments.debitProfiles != nil else { return nil }
        return Tenant.CardProfiles(
            prepaid: try pairs(arguments.prepaidProfiles, option: "--prepaid-profile", form: "CURRENCY=PROFILE_ID"),
            debit: try pairs(arguments.debitProfiles, option: "--debit-profile", form: "CURRENCY=PROFILE_ID")
        )
    }

    private static func pairs(_ values: [String]?, option: String, form: String) throws(TenantValidationError) -> [String: String] {
        var result: [String: String] = [:]
        for value in values ?? [] {
            let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, result[String(parts[0])] == nil else {
                throw TenantValidationError(field: option, expected: "\(form), each key once")
            }
            result[String(parts[0])] = String(parts[1])
        }
        return result
    }

    private static func quotas(_ values: [String]?) throws(TenantValidationError) -> [String: Int] {
        var result: [String: Int] = [:]
        for (operation, limit) in try pairs(values, option: "--quota", form: "OPERATION=DAILY_LIMIT") {
            guard let number = Int(limit) else {
                throw TenantValidationError(field: "--quota", expected: "OPERATION=DAILY_LIMIT with a whole number")
            }
            result[operation] = number
        }
        return result
    }

    private static func sessionModes(_ values: [String]?) throws(TenantValidationError) -> Set<Tenant.SessionMode>? {
        guard let values else { return nil }
        var modes: Set<Tenant.SessionMode> = []
        for value in values {
            guard let mode = Tenant.SessionMode(rawValue: value) else {
                throw TenantValidationError(field: "--session-mode", expected: "cookie or bearer")
            }
            modes.insert(mode)
        }
        return modes
    }
}
