import Auth
import Foundation
@testable import Gateway
import Storage
import Testing
import TestSupport

/// Key-ring and tenant changes made by another writer of the database (the CLI, another instance) reach a
/// running gateway without SIGHUP: the change counter is bumped by triggers and polled.
@Suite("Store changes from other writers")
struct StoreChangeTests {

    static func cli(_ gateway: GatewayHarness, _ arguments: [String]) async throws -> CommandLineTests.Result {
        try await CommandLineTests.run(arguments + ["--db", gateway.directory + "/gateway.sqlite"],
                                       environment: ["GATEWAY_MASTER_KEY": gateway.masterKeyBase64, "PATH": "/usr/bin:/bin"])
    }

    @Test(.requiresGatewayBinary)
    func aKeyRetiredByTheCommandLineStopsItsTokensOnTheNextCheck() async throws {
        try await withGateway(backend: .sqlite) { gateway async throws in  // SQLite-specific: the command line on the SQLite file
            let token = try await gateway.login()
            let kid = try #require(gateway.services.keyRing.activeKeyID)
            #expect(try await Self.cli(gateway, ["keys", "rotate"]).status == 0)
            let retired = try await Self.cli(gateway, ["keys", "retire", kid])
            #expect(retired.status == 0, "\(retired.output)")
            #expect(retired.output.contains("within 1 s"))
            // The running gateway has not looked yet: the token still verifies from memory.
            #expect(try await gateway.call("GET", "/v1/me", token: token).status == 200)
            #expect(try await gateway.services.storeChanges.check())
            #expect(try await gateway.call("GET", "/v1/me", token: token).status == 401)
            #expect(gateway.services.keyRing.activeKeyID != kid)
            #expect(try await !gateway.services.storeChanges.check())  // nothing new
        }
    }

    @Test(.requiresGatewayBinary)
    func aTenantSuspendedByTheCommandLineIsRefusedByTheRunningLoop() async throws {
        try await withGateway(backend: .sqlite) { gateway async throws in  // SQLite-specific: the command line on the SQLite file
            let token = try await gateway.login()
            _ = try await gateway.services.storeChanges.check()  // the harness made its tenants after the services
            let task = gateway.services.storeChanges.start(every: .milliseconds(20))
            defer { task.cancel() }
            let beforeSuspend = gateway.services.storeChanges.generation
            #expect(try await Self.cli(gateway, ["tenant", "suspend", "acme"]).status == 0)
            // Wait on observable state: the watcher has seen a newer generation.
            try await waitUntil(timeout: .seconds(30)) { gateway.services.storeChanges.generation > beforeSuspend }
            #expect(try await gateway.call("GET", "/v1/me", token: token).status == 401)
            let beforeActivate = gateway.services.storeChanges.generation
            #expect(try await Self.cli(gateway, ["tenant", "activate", "acme"]).status == 0)
            try await waitUntil(timeout: .seconds(30)) { gateway.services.storeChanges.generation > beforeActivate }
            #expect(try await gateway.call("GET", "/v1/me", token: token).status == 200)
        }
    }

    @Test func writesByAnotherConnectionBumpTheGenerationAndOnlyTenantAndKeyChangesDo() async throws {
        try await withGateway(backend: .sqlite) { gateway async throws in  // SQLite-specific: a second SQLite connection
            let other = try Database.open(path: gateway.directory + "/gateway.sqlite", migrations: .gateway)
            let token = try await gateway.login()
            _ = try await gateway.services.storeChanges.check()  // the harness made its tenants after the services
            _ = try await gateway.call("GET", "/v1/cards", token: token)  // sessions, audit, quotas: no tenant/key change
            #expect(try await !gateway.services.storeChanges.check())
            let store = SQLTenantStore(database: other, secretBox: SecretBox(masterKey: try MasterKey(base64: gateway.masterKeyBase64)))
            _ = try await store.update("acme", TenantUpdate(allowedOrigins: ["https://new.acme.example"]))
            #expect(try await gateway.services.storeChanges.check())
            #expect(try await gateway.services.tenants.get("acme")?.allowedOrigins == ["https://new.acme.example"])
            other.close()
        }
    }
}
