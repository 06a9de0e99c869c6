import Audit
import Foundation
import NIOFreeHTTP
import Storage
import Testing

/// When the audit log cannot be written, a mutation is not sent to Weavr: 503, never a 500 or a hang
/// (docs/ARCHITECTURE.md "Storage": disk full / locked → the mutation fails closed).
@Suite("Fail closed")
struct FailClosedTests {
    typealias Seed = GatewayHarness.Seed

    @Test func aFullDiskRefusesACardBlockWithoutCallingWeavrAndRecoversWhenSpaceReturns() async throws {
        let harness = try await GatewayHarness(backend: .sqlite)  // SQLite-specific: an SQLite file capped
        do {
            let token = try await harness.login()
            // Warm the quota counter row so that only the audit write can fail for want of space.
            #expect(try await harness.call("POST", "/v1/cards/\(Seed.emptyGBP)/block", token: token).status == 200)
            #expect(try await Self.fillTheDisk(harness))
            harness.simulator.clearCapturedRequests()
            let refused = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/block", token: token)
            #expect(refused.status == 503)
            #expect(refused.code == "service_unavailable")
            #expect(refused.headers["retry-after"] != nil)
            #expect(harness.weavrRequests("POST", "/managed_cards/\(Seed.fundedEUR)/block").isEmpty)
            #expect(try await harness.services.quotas.usage(tenant: "acme", day: nil)[.cardsBlock] == 1)  // the unit went back
            // Reads keep working.
            #expect(try await harness.call("GET", "/v1/cards/\(Seed.fundedEUR)", token: token).status == 200)

            try await harness.database.write { try $0.setMaxPageCount(1_000_000) }
            let blocked = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/block", token: token)
            #expect(blocked.status == 200)
            #expect(harness.weavrRequests("POST", "/managed_cards/\(Seed.fundedEUR)/block").count == 1)
            #expect(try await harness.services.audit.all(AuditFilter(action: "card.block", target: Seed.fundedEUR)).map(\.outcome) == ["intent", "success"])
            #expect(try await harness.services.audit.verify().ok)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    /// Caps the database at its current size (`max_page_count` is clamped to it) and fills the free pages
    /// with audit rows: every later write fails with `StorageError.full`. True when it got there.
    static func fillTheDisk(_ harness: GatewayHarness) async throws -> Bool {
        try await harness.database.write { try $0.setMaxPageCount(1) }
        let filler = AuditEntry(tenant: "acme", actor: "filler", action: AuditAction(rawValue: "test.filler")!, target: Seed.fundedEUR, outcome: .denied)
        var full = false
        for batch in [20, 1] {
            for _ in 0..<20_000 {
                do {
                    try await harness.services.audit.append(Array(repeating: filler, count: batch))
                } catch let error as StorageError {
                    #expect(error == .full)
                    full = true
                    break
                }
            }
        }
        return full
    }

    @Test func aLoginThatCannotBeSavedLogsTheWeavrTokenOut() async throws {
        let harness = try await GatewayHarness(backend: .sqlite)  // SQLite-specific: an SQLite file capped
        _ = try await harness.login()  // warm every table a login touches
        #expect(try await Self.fillTheDisk(harness))
        harness.simulator.clearCapturedRequests()
        let refused = try await harness.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Password1!", "mode": "bearer"])
        #expect(refused.status == 503)
        #expect(refused.code == "service_unavailable")
        #expect(refused.json["token"] == nil)
        // Weavr issued a token; it must not stay alive when the gateway cannot keep the session.
        let issued = harness.weavrRequests("POST", "/login_with_password").count
        let loggedOut = harness.weavrRequests("POST", "/logout")
        #expect(issued == 1)
        #expect(loggedOut.count == 1)
        await harness.shutdown()
    }

    @Test func aLockedDatabaseRefusesACardBlockWithinTheBusyTimeout() async throws {
        let busyTimeout = 300
        let gateway = try await RestartableGateway(configuration: Database.Configuration(
            connection: SQLiteConnection.Configuration(busyTimeoutMilliseconds: busyTimeout)
        ))
        do {
            let token = try await gateway.login()
            let locker = try SQLiteConnection(path: gateway.path)
            try locker.execute("BEGIN EXCLUSIVE")
            gateway.simulator.clearCapturedRequests()
            let started = ContinuousClock.now
            let refused = try await gateway.call("POST", "/v1/cards/\(Seed.fundedEUR)/block", token: token)
            let elapsed = ContinuousClock.now - started
            try locker.execute("ROLLBACK")
            locker.close()
            #expect(refused.status == 503)
            #expect(refused.code == "service_unavailable")
            #expect(elapsed < .seconds(60), "took \(elapsed)")  // stuck-test bound: the lock is held until the call returns
            #expect(!gateway.simulator.capturedRequests.contains { $0.path.hasSuffix("/block") })

            let blocked = try await gateway.call("POST", "/v1/cards/\(Seed.fundedEUR)/block", token: token)
            #expect(blocked.status == 200)
            #expect(try await gateway.services.audit.verify().ok)
        } catch {
            await gateway.shutdown()
            throw error
        }
        await gateway.shutdown()
    }
}
