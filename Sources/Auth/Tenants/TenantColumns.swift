internal import Storage
internal import FoundationEssentials

/// A tenant's non-secret fields as the SQLite columns `?1`…`?8` of the `tenants` table.
struct TenantColumns {
    static let selectList = """
        id, name, status, weavr_base_url, card_profiles, allowed_origins, session_modes, quotas, created_at, updated_at
        """

    /// id, name, status, weavr_base_url, card_profiles, allowed_origins, session_modes, quotas.
    let values: [SQLValue]

    init(_ tenant: Tenant) throws {
        values = [
            .text(tenant.id),
            .text(tenant.name),
            .text(tenant.status.rawValue),
            .text(tenant.weavrBaseURL),
            .text(try Self.json(tenant.cardProfiles)),
            .text(try Self.json(tenant.allowedOrigins)),
            .text(try Self.json(tenant.sessionModes.sorted())),
            .text(try Self.json(tenant.quotas)),
        ]
    }

    static func tenant(from row: Row) throws -> Tenant {
        func text(_ index: Int) throws -> String {
            guard let value = row[index].stringValue else { throw StorageError.corrupt }
            return value
        }
        guard let status = Tenant.Status(rawValue: try text(2)),
              let createdAt = row[8].int64Value, let updatedAt = row[9].int64Value
        else { throw StorageError.corrupt }
        return Tenant(
            id: try text(0),
            name: try text(1),
            status: status,
            weavrBaseURL: try text(3),
            cardProfiles: try decode(Tenant.CardProfiles.self, try text(4)),
            allowedOrigins: try decode([String].self, try text(5)),
            sessionModes: Set(try decode([Tenant.SessionMode].self, try text(6))),
            quotas: try decode([String: Int].self, try text(7)),
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError.corrupt
        }
    }
}
