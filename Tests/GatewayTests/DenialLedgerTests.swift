import Audit
import Auth
import Foundation
@testable import Gateway
import GatewayCore
import Testing

/// Anonymous refusals are counted and written one row per client IP, reason and minute — never one row per
/// request, so anyone without a session cannot fill the disk (and, with the audit log failing closed, stop
/// every tenant).
@Suite("Denial ledger")
struct DenialLedgerTests {
    @Test func junkTokensWriteOneRowPerMinuteNotOnePerRequest() async throws {
        let clock = ManualWallClock(now: 1_750_000_000_000)
        try await withGateway(clock: clock) { gateway async throws in
            let rowsBefore = try await gateway.services.audit.all().count
            for index in 0..<500 {
                #expect(try await gateway.call("GET", "/v1/cards", token: "gw1.junk\(index).x.y").status == 401)
            }
            #expect(try await gateway.services.audit.all().count == rowsBefore)
            #expect(gateway.services.metrics.render().contains(#"weavr_gateway_access_denials_total{reason="invalid_session"} 500"#))
            // Not yet: the minute is still running.
            #expect(try await gateway.services.denials.flush() == 0)
            clock.advance(by: 60_000)
            #expect(try await gateway.services.denials.flush() == 1)
            let rows = try await gateway.services.audit.all(AuditFilter(action: "access.denied"))
            #expect(rows.count == 1)
            #expect(rows[0].details.contains("\"count\":500") && rows[0].outcome == "denied")
            #expect(try await gateway.services.audit.verify().ok)
        }
    }

    @Test func distinctAddressesBeyondTheBoundAreFoldedIntoOneRow() async throws {
        let clock = ManualWallClock(now: 1_750_000_000_000)
        try await withGateway(clock: clock) { gateway async throws in
            let ledger = DenialLedger(audit: gateway.services.audit, metrics: gateway.services.metrics, clock: clock, maxKeys: 3)
            for index in 0..<100 { ledger.record(reason: "invalid_session", clientIP: "198.51.100.\(index)") }
            #expect(ledger.pendingCount == 100)
            #expect(try await ledger.flush(everything: true) == 4)  // three addresses and "*" for the other 97
            let rows = try await gateway.services.audit.all(AuditFilter(action: "access.denied"))
            #expect(rows.contains { $0.clientIP == "*" && $0.details.contains("\"count\":97") })
        }
    }

    @Test func rowsThatCannotBeWrittenAreKeptForTheNextFlush() async throws {
        let clock = ManualWallClock(now: 1_750_000_000_000)
        try await withGateway(clock: clock, backend: .sqlite) { gateway async throws in  // SQLite-specific: an SQLite file capped
            gateway.services.denials.record(reason: "csrf_failed", clientIP: "203.0.113.1")
            #expect(try await FailClosedTests.fillTheDisk(gateway))
            await #expect(throws: (any Error).self) { try await gateway.services.denials.flush(everything: true) }
            #expect(gateway.services.denials.pendingCount == 1)
        }
    }
}
