import Foundation
import Testing
@testable import Auth
@testable import weavr_gateway

struct CommandsTests {
    @Test func tenantCommandsReadTheAPIKeyFromAFileAndNeverPrintIt() async throws {
        let fixture = try await AuthFixture()
        let commands = TenantCommands(store: fixture.tenants)
        let keyFile = try fixture.directory.write("api-key", Array("SECRET-API-KEY-1\n".utf8), mode: 0o600)
        var output = try await commands.add(
            TenantCommands.Arguments(
                id: "acme", name: "Acme", weavrBaseURL: "https://sandbox.weavr.io",
                prepaidProfiles: ["EUR=110", "GBP=111"], allowedOrigins: ["https://app.acme.example"],
                sessionModes: ["cookie"], quotas: ["cards.issue=5"]
            ),
            apiKey: .file(keyFile)
        )
        #expect(output.contains("created tenant acme") && output.contains("EUR=110, GBP=111") && output.contains("cards.issue=5"))
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == "SECRET-API-KEY-1")

        let newKey = try fixture.directory.write("api-key-2", Array("SECRET-API-KEY-2".utf8), mode: 0o600)
        output += try await commands.update("acme", TenantCommands.Arguments(name: "Acme 2"), apiKey: .file(newKey))
        #expect(try await fixture.tenants.weavrAPIKey(for: "acme") == "SECRET-API-KEY-2")
        output += try await commands.list()
        output += try await commands.show("acme")
        output += try await commands.suspend("acme")
        #expect(output.contains("tenant acme is suspended"))
        output += try await commands.activate("acme")
        output += try await commands.remove("acme")
        #expect(!output.contains("SECRET-API-KEY"))
        #expect(output.contains("set (encrypted at rest, never shown)"))
    }

    @Test func tenantCommandArgumentErrorsNameTheOption() async throws {
        let fixture = try await AuthFixture()
        let commands = TenantCommands(store: fixture.tenants)
        let keyFile = try fixture.directory.write("api-key", Array("k".utf8), mode: 0o600)
        let base = TenantCommands.Arguments(id: "acme", name: "Acme", weavrBaseURL: "https://sandbox.weavr.io")
        var bad = base
        bad.quotas = ["cards.issue=lots"]
        await #expect(throws: TenantValidationError.self) { try await commands.add(bad, apiKey: .file(keyFile)) }
        bad = base
        bad.sessionModes = ["websocket"]
        await #expect(throws: TenantValidationError(field: "--session-mode", expected: "cookie or bearer")) {
            try await commands.add(bad, apiKey: .file(keyFile))
        }
        let empty = try fixture.directory.write("empty", Array("\n".utf8), mode: 0o600)
        await #expect(throws: SecretInputError.empty(source: "file \(empty)")) { try await commands.add(base, apiKey: .file(empty)) }
    }

    @Test func keyCommandsRotateListAndRetire() async throws {
        let fixture = try await AuthFixture()
        let commands = KeyCommands(store: fixture.keyStore)
        let first = try await commands.rotate()
        #expect(first.hasPrefix("new active signing key "))
        let oldKid = try #require(try await fixture.keyStore.list().first?.kid)
        let second = try await commands.rotate()
        #expect(second.contains("\(oldKid) now only verifies"))
        #expect(try await commands.list().contains("\(oldKid)\tverifying"))
        #expect(try await commands.retire(oldKid).contains("retired signing key \(oldKid)"))
        let active = try #require(try await fixture.keyStore.list().first { $0.state == .active })
        await #expect(throws: KeyRingError.activeKey(kid: active.kid)) { try await commands.retire(active.kid) }
    }
}
