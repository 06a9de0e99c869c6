import Audit
import Auth
import Foundation
import Gateway
import GatewayCore
import Testing

@Suite("Retention task")
struct RetentionTaskTests {
    @Test func oldAuditRowsArePrunedAndTheChainStillVerifies() async throws {
        let clock = ManualWallClock.sameDayForHours()
        let gateway = try await GatewayHarness(clock: clock)
        let audit = gateway.services.audit
        _ = try await audit.append((0..<5).map { AuditEntry(tenant: "acme", actor: "old-\($0)", action: .cardBlock, outcome: .success) })
        clock.advance(by: 401 * 86_400_000)
        _ = try await audit.append([AuditEntry(tenant: "acme", actor: "recent", action: .cardBlock, outcome: .success)])
        let task = RetentionTask.start(services: gateway.services)
        var remaining = -1
        for _ in 0..<200 {
            remaining = try await audit.query(AuditFilter(), limit: 100).records.count
            if remaining == 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        #expect(remaining == 1)
        #expect(try await audit.query(AuditFilter(), limit: 100).records.first?.actor == "recent")
        #expect(try await audit.verify().ok)
        await gateway.shutdown()
    }
}
