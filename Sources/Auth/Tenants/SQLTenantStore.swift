public import GatewayCore
public import Storage
internal import FoundationEssentials

/// `TenantStore` on the gateway's SQLite database (schema version 1).
///
/// The api-key is stored only as a `SecretBox` record whose AAD is
/// `context("weavr-api-key", tenant id)` (the record's key id is bound by the box), so a
/// record copied to another tenant's row does not open.
public struct SQLTenantStore: TenantStore {
    private let database: Database
    private let secretBox: SecretBox
    private let clock: any WallClock

    /// A store over `database` (migrated with `Migrations.auth`), sealing api-keys with
    /// `secretBox`.
    public init(database: Database, secretBox: SecretBox, clock: any WallClock = SystemWallClock()) {
        self.database = database
        self.secretBox = secretBox
        self.clock = clock
    }

    static func apiKeyContext(tenantID: String) -> [UInt8] {
        SecretBox.context("weavr-api-key", tenantID)
    }

    public func create(_ tenant: Tenant, weavrAPIKey: String) async throws -> Tenant {
        var tenant = tenant
        tenant.quotas = Tenant.defaultQuotas.merging(tenant.quotas) { _, configured in configured }
        try tenant.validate()
        try Tenant.validate(apiKey: weavrAPIKey)
        let now = clock.now
        tenant.createdAt = now
        tenant.updatedAt = now
        let sealed = try secretBox.seal(Array(weavrAPIKey.utf8), aad: Self.apiKeyContext(tenantID: tenant.id))
        let columns = try TenantColumns(tenant)
        let created = tenant
        try await database.write { connection in
            guard try connection.query("SELECT 1 FROM tenants WHERE id = ?", [.text(created.id)]).isEmpty else {
                throw TenantStoreError.alreadyExists(id: created.id)
            }
            try connection.run(
                """
                INSERT INTO tenants (id, name, status, weavr_base_url, card_profiles, allowed_origins,
                                     session_modes, quotas, api_key_sealed, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                columns.values + [.blob(sealed), .integer(now), .integer(now)]
            )
        }
        return created
    }

    public func get(_ id: String) async throws -> Tenant? {
        try await database.read { connection in
            try connection.query("SELECT \(TenantColumns.selectList) FROM tenants WHERE id = ?", [.text(id)])
                .first.map(TenantColumns.tenant(from:))
        }
    }

    public func list() async throws -> [Tenant] {
        try await database.read { connection in
            try connection.query("SELECT \(TenantColumns.selectList) FROM tenants ORDER BY id")
                .map(TenantColumns.tenant(from:))
        }
    }

    public func update(_ id: String, _ update: TenantUpdate) async throws -> Tenant {
        guard var tenant = try await get(id) else { throw TenantStoreError.notFound(id: id) }
        if let name = update.name { tenant.name = name }
        if let url = update.weavrBaseURL { tenant.weavrBaseURL = url }
        if let profiles = update.cardProfiles {
            tenant.cardProfiles.prepaid = profiles.prepaid
            tenant.cardProfiles.debit = profiles.debit
        }
        if let transfer = update.transferProfile { tenant.cardProfiles.transfer = transfer.isEmpty ? nil : transfer }
        if let origins = update.allowedOrigins { tenant.allowedOrigins = origins }
        if let modes = update.sessionModes { tenant.sessionModes = modes }
        if let quotas = update.quotas { tenant.quotas.merge(quotas) { _, new in new } }
        try tenant.validate()
        var sealed: [UInt8]?
        if let apiKey = update.weavrAPIKey {
            try Tenant.validate(apiKey: apiKey)
            sealed = try secretBox.seal(Array(apiKey.utf8), aad: Self.apiKeyContext(tenantID: id))
        }
        let updatedAt = max(clock.now, tenant.createdAt)
        let columns = try TenantColumns(tenant)
        let newKey = sealed
        try await database.write { connection in
            let changed = try connection.run(
                """
                UPDATE tenants SET name = ?2, weavr_base_url = ?4, card_profiles = ?5,
                    allowed_origins = ?6, session_modes = ?7, quotas = ?8,
                    api_key_sealed = coalesce(?9, api_key_sealed), updated_at = ?10
                WHERE id = ?1
                """,
                // ?3 (status) is bound but unused: only setStatus changes it.
                columns.values + [newKey.map(SQLValue.blob) ?? .null, .integer(updatedAt)]
            )
            guard changed == 1 else { throw TenantStoreError.notFound(id: id) }
        }
        guard let updated = try await get(id) else { throw TenantStoreError.notFound(id: id) }
        return updated
    }

    public func setStatus(_ id: String, _ status: Tenant.Status) async throws -> Tenant {
        let now = clock.now
        try await database.write { connection in
            let changed = try connection.run(
                "UPDATE tenants SET status = ?1, updated_at = CASE WHEN ?2 > created_at THEN ?2 ELSE created_at END WHERE id = ?3",
                [.text(status.rawValue), .integer(now), .text(id)]
            )
            guard changed == 1 else { throw TenantStoreError.notFound(id: id) }
        }
        guard let tenant = try await get(id) else { throw TenantStoreError.notFound(id: id) }
        return tenant
    }

    public func delete(_ id: String) async throws {
        try await database.write { connection in
            // Sessions go with the tenant (ON DELETE CASCADE, foreign_keys=ON).
            guard try connection.run("DELETE FROM tenants WHERE id = ?", [.text(id)]) == 1 else {
                throw TenantStoreError.notFound(id: id)
            }
        }
    }

    public func weavrAPIKey(for id: String) async throws -> String? {
        let sealed = try await database.read { connection in
            try connection.query("SELECT api_key_sealed FROM tenants WHERE id = ?", [.text(id)]).first?[0].bytesValue
        }
        guard let sealed else { return nil }
        let plaintext = try secretBox.open(sealed, aad: Self.apiKeyContext(tenantID: id))
        return String(decoding: plaintext, as: UTF8.self)
    }
}
