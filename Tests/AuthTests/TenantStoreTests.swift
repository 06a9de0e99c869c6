import TestSupport
import Foundation
import Storage
import Testing
@testable import Auth

struct TenantStoreTests {
    static func acme() -> Tenant {
        Tenant(
            id: "acme",
            name: "Acme Ltd",
            weavrBaseURL: "https://sandbox.weavr.io",
            cardProfiles: Tenant.CardProfiles(prepaid: ["EUR": "110123", "GBP": "110124"]),
            allowedOrigins: ["https://app.acme.example", "http://localhost:3000"],
            sessionModes: [.cookie],
            quotas: ["cards.issue": 10]
        )
    }

    @Test(arguments: StoreBackend.allCases) func createsGetsListsUpdatesSuspendsAndDeletes(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        let created = try await fixture.tenants.create(Self.acme(), weavrAPIKey: "key-1")
        #expect(created.createdAt == fixture.clock.now && created.updatedAt == created.createdAt)
        #expect(created.quotas["cards.issue"] == 10 && created.quotas["cards.destroy"] == Tenant.defaultQuotas["cards.destroy"])
        #expect(try await fixture.tenants.get("acme") == created)
        try await fixture.addTenant("globex")
        #expect(try await fixture.tenants.list().map(\.id) == ["acme", "globex"])

        fixture.clock.advance(by: 1000)
        let updated = try await fixture.tenants.update("acme", TenantUpdate(name: "Acme Group", quotas: ["cards.block": 5]))
        #expect(updated.name == "Acme Group" && updated.quotas["cards.block"] == 5 && updated.quotas["cards.issue"] == 10)
        #expect(updated.updatedAt == created.createdAt + 1000 && updated.createdAt == created.createdAt)
        #expect(updated.cardProfiles == created.cardProfiles)

        #expect(try await fixture.tenants.setStatus("acme", .suspended).status == .suspended)
        #expect(try await fixture.tenants.get("acme")?.status == .suspended)
        // An update leaves the status alone.
        #expect(try await fixture.tenants.update("acme", TenantUpdate(name: "Acme")).status == .suspended)
        #expect(try await fixture.tenants.setStatus("acme", .active).status == .active)

        try await fixture.tenants.delete("acme")
        #expect(try await fixture.tenants.get("acme") == nil)
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == nil)
        await #expect(throws: TenantStoreError.notFound(id: "acme")) { try await fixture.tenants.delete("acme") }
        await #expect(throws: TenantStoreError.notFound(id: "acme")) { try await fixture.tenants.setStatus("acme", .active) }
        await #expect(throws: TenantStoreError.notFound(id: "acme")) { try await fixture.tenants.update("acme", TenantUpdate()) }
    }

    @Test(arguments: StoreBackend.allCases) func createFailsOnADuplicateID(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        _ = try await fixture.tenants.create(Self.acme(), weavrAPIKey: "key-1")
        await #expect(throws: TenantStoreError.alreadyExists(id: "acme")) {
            try await fixture.tenants.create(Self.acme(), weavrAPIKey: "key-2")
        }
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == "key-1")
    }

    static let invalidCases: [(String, @Sendable (inout Tenant) -> Void)] = [
        ("id", { $0.id = "Acme" }),
        ("id", { $0.id = "a" }),
        ("id", { $0.id = "-acme" }),
        ("id", { $0.id = String(repeating: "a", count: 64) }),
        ("name", { $0.name = "" }),
        ("name", { $0.name = "bad\u{7}name" }),
        ("weavrBaseURL", { $0.weavrBaseURL = "ftp://sandbox.weavr.io" }),
        ("weavrBaseURL", { $0.weavrBaseURL = "https://user:pw@sandbox.weavr.io" }),
        ("weavrBaseURL", { $0.weavrBaseURL = "https://sandbox.weavr.io/?x=1" }),
        ("weavrBaseURL", { $0.weavrBaseURL = "sandbox.weavr.io" }),
        ("cardProfiles.prepaid", { $0.cardProfiles.prepaid = ["eur": "1"] }),
        ("cardProfiles.debit.EUR", { $0.cardProfiles.debit = ["EUR": "has space"] }),
        ("allowedOrigins[0]", { $0.allowedOrigins = ["https://app.example.com/"] }),
        ("allowedOrigins[1]", { $0.allowedOrigins = ["https://ok.example", "*"] }),
        ("allowedOrigins[0]", { $0.allowedOrigins = ["https://App.example.com"] }),
        ("allowedOrigins[0]", { $0.allowedOrigins = ["https://app.example.com:0443"] }),
        ("allowedOrigins[0]", { $0.allowedOrigins = ["https://app.example.com:70000"] }),
        ("allowedOrigins[0]", { $0.allowedOrigins = ["null"] }),
        ("sessionModes", { $0.sessionModes = [] }),
        ("quotas", { $0.quotas["cards.fly"] = 1 }),
        ("quotas.cards.issue", { $0.quotas["cards.issue"] = -1 }),
    ]

    @Test(arguments: invalidCases.indices)
    func validationErrorsNameTheField(index: Int) async throws {
        let (field, mutate) = Self.invalidCases[index]
        var tenant = Self.acme()
        mutate(&tenant)
        let fixture = try await AuthFixture()
        do {
            _ = try await fixture.tenants.create(tenant, weavrAPIKey: "key")
            Issue.record("accepted invalid \(field)")
        } catch let error as TenantValidationError {
            #expect(error.field == field)
            #expect("\(error)".hasPrefix("invalid \(field): expected "))
        }
        #expect(try await fixture.tenants.list().isEmpty)
    }

    @Test func acceptsValidOrigins() throws {
        for origin in ["https://app.example.com", "http://localhost:3000", "https://a-b.c-d.example:8443", "http://127.0.0.1:8080"] {
            #expect(Tenant.isOrigin(origin), "\(origin)")
        }
    }

    @Test(arguments: StoreBackend.allCases) func refusesBadAPIKeys(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        for key in ["", "has space", String(repeating: "k", count: 513), "tab\tkey"] {
            await #expect(throws: TenantValidationError(field: "weavrAPIKey", expected: "1-512 printable ASCII characters without spaces")) {
                try await fixture.tenants.create(Self.acme(), weavrAPIKey: key)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func apiKeyRoundTripsAndCanBeReplaced(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        _ = try await fixture.tenants.create(Self.acme(), weavrAPIKey: "first-key")
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == "first-key")
        _ = try await fixture.tenants.update("acme", TenantUpdate(weavrAPIKey: "second-key"))
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == "second-key")
        _ = try await fixture.tenants.update("acme", TenantUpdate(name: "Acme"))
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == "second-key")
        #expect(try await fixture.tenants.weavrAPIKey(for: "nobody") == nil)
    }

    @Test(arguments: StoreBackend.allCases) func apiKeysAreIsolatedBetweenTenants(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        try await fixture.addTenant("acme", apiKey: "acme-key")
        try await fixture.addTenant("globex", apiKey: "globex-key")
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == "acme-key")
        #expect(try await fixture.tenants.weavrAPIKey(for: "globex") == "globex-key")
        // Copying acme's sealed record onto globex's row does not give globex acme's key.
        try await fixture.database.write { connection in
            try connection.run(
                "UPDATE tenants SET api_key_sealed = (SELECT api_key_sealed FROM tenants WHERE id = 'acme') WHERE id = 'globex'"
            )
        }
        await #expect(throws: SecretBoxError.authenticationFailed) { try await fixture.tenants.weavrAPIKey(for: "globex") }
    }

    @Test func apiKeyNeverAppearsInTheDatabaseFilesOrInOutput() async throws {
        let fixture = try await AuthFixture()
        let apiKey = "PLAINTEXT-API-KEY-\(UUID().uuidString)"
        let tenant = try await fixture.tenants.create(Self.acme(), weavrAPIKey: apiKey)
        let update = TenantUpdate(name: "Acme 2", weavrAPIKey: apiKey + "-2")
        _ = try await fixture.tenants.update("acme", update)
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == apiKey + "-2")

        let bytes = try fixture.fileBytes()
        #expect(bytes.count > 0)
        #expect(bytes.contains("Acme 2"), "the scan sees plaintext columns")
        #expect(!bytes.contains("PLAINTEXT-API-KEY"))

        let json = String(decoding: try JSONEncoder().encode(tenant), as: UTF8.self)
        for text in [json, "\(tenant)", String(reflecting: tenant), "\(update)", String(reflecting: update), dumped(update)] {
            #expect(!text.contains("PLAINTEXT-API-KEY"), "\(text)")
        }
        #expect("\(update)".contains("weavrAPIKey: <set>"))
    }

    private func dumped(_ value: some Any) -> String {
        var output = ""
        dump(value, to: &output)
        return output
    }
}
