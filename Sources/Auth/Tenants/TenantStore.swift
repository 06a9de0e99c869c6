/// Where tenants live. Implementations encrypt the Weavr api-key at rest and never return
/// it except through `weavrAPIKey(for:)`.
public protocol TenantStore: Sendable {
    /// Validates and stores a new tenant with its Weavr api-key; returns it with timestamps
    /// set. Throws `TenantStoreError.alreadyExists` for a taken id.
    func create(_ tenant: Tenant, weavrAPIKey: String) async throws -> Tenant
    /// The tenant with `id`, or `nil`.
    func get(_ id: String) async throws -> Tenant?
    /// Every tenant, by id.
    func list() async throws -> [Tenant]
    /// Applies `update` (validated as a whole); throws `TenantStoreError.notFound`.
    func update(_ id: String, _ update: TenantUpdate) async throws -> Tenant
    /// Suspends or re-activates a tenant; throws `TenantStoreError.notFound`.
    func setStatus(_ id: String, _ status: Tenant.Status) async throws -> Tenant
    /// Deletes the tenant and its sessions; throws `TenantStoreError.notFound`.
    func delete(_ id: String) async throws
    /// Decrypts the tenant's Weavr api-key; `nil` when there is no such tenant.
    func weavrAPIKey(for id: String) async throws -> String?
}
