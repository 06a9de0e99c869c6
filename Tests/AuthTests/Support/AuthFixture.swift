import Foundation
import GatewayCore
import Storage
import TestSupport
@testable import Auth

/// A migrated database in a temporary directory with every Auth store over it.
final class AuthFixture {
    let directory: TemporaryDirectory
    let database: Database
    let masterKey: MasterKey
    let clock: ManualWallClock
    let secretBox: SecretBox
    let tenants: SQLTenantStore
    let keyStore: SQLKeyRingStore
    let sessions: SQLSessionStore

    private let postgres: PostgresTestDatabase?

    init(backend: StoreBackend = .sqlite, lifetime: SessionLifetime = SessionLifetime()) async throws {
        directory = try TemporaryDirectory()
        switch backend {
        case .sqlite:
            postgres = nil
            let path = directory.file("gateway.sqlite")
            database = try await offPool { try Database.open(path: path, migrations: .auth) }
        case .postgres:
            let postgres = try await PostgresTestDatabase.create()
            self.postgres = postgres
            database = try await postgres.connect(migrations: .auth, readers: 2)
        }
        masterKey = try MasterKey.generate()
        clock = ManualWallClock()
        secretBox = SecretBox(masterKey: masterKey)
        tenants = SQLTenantStore(database: database, secretBox: secretBox, clock: clock)
        keyStore = SQLKeyRingStore(database: database, masterKey: masterKey, clock: clock)
        sessions = SQLSessionStore(database: database, secretBox: secretBox, lifetime: lifetime, clock: clock)
    }

    deinit {
        database.close()
    }

    func keyRing() async throws -> KeyRing {
        try await KeyRing(store: keyStore)
    }

    @discardableResult
    func addTenant(_ id: String, apiKey: String = "api-key-\(UUID().uuidString)") async throws -> Tenant {
        try await tenants.create(
            Tenant(id: id, name: "Tenant \(id)", weavrBaseURL: "https://sandbox.weavr.io"),
            weavrAPIKey: apiKey
        )
    }

    /// The bytes of the database file and its WAL, as an attacker with the disk would see them.
    func fileBytes() throws -> Data {
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: database.path + suffix) { bytes.append(data) }
        }
        return bytes
    }
}

extension Data {
    func contains(_ text: String) -> Bool {
        range(of: Data(text.utf8)) != nil
    }
}

func hex(_ string: String) -> [UInt8] {
    Hex.decode(string.filter { !$0.isWhitespace })!
}
