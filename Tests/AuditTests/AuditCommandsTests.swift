import Audit
@testable import weavr_gateway
import Testing

struct AuditCommandsTests {
    @Test func verifyPrintsOKThenBADWithTheFirstBadSeq() async throws {
        let fixture = try await AuditFixture()
        try await fixture.appendBlocks(12)
        let good = try await AuditCommands(database: fixture.database).verify()
        #expect(good.ok)
        #expect(good.output.hasPrefix("OK 12 rows\n"))

        try await fixture.tamper("UPDATE audit_log SET client_ip = '10.0.0.1' WHERE seq = 5")
        let bad = try await AuditCommands(database: fixture.database).verify()
        #expect(!bad.ok)
        #expect(bad.output == "BAD at seq 5: hash does not match the row's contents\n")
    }

    @Test func queryPrintsOneLinePerRowAndTheNextCursor() async throws {
        let fixture = try await AuditFixture()
        try await fixture.appendBlocks(3)
        let output = try await AuditCommands(database: fixture.database).query(AuditFilter(tenant: "acme"), limit: 2)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("1\t2025-06-15T15:06:40.000Z\tacme\t"))
        #expect(lines[2] == "next: --after 2")
    }

    @Test func prunePrintsTheCountAndTheAnchor() async throws {
        let fixture = try await AuditFixture()
        try await fixture.appendBlocks(4)
        // AuditCommands uses the system clock: the fixture's rows are from 2025-06-15.
        let output = try await AuditCommands(database: fixture.database).prune(olderThanDays: 1)
        #expect(output == "pruned 4 rows; anchor at seq 4\n")
        #expect(try await AuditCommands(database: fixture.database).verify().output.hasPrefix("OK 0 rows\n"))
    }

    @Test(arguments: [
        ("2025-06-15", Int64(1_749_945_600_000)),
        ("2025-06-15T15:06:40Z", Int64(1_750_000_000_000)),
        ("2025-06-15T15:06:40.5Z", Int64(1_750_000_000_500)),
        ("2025-06-15T15:06:40.123456Z", Int64(1_750_000_000_123)),
    ])
    func timestampsParse(text: String, milliseconds: Int64) {
        #expect(AuditTimestamp.parse(text) == milliseconds)
    }

    @Test(arguments: ["2025-06-15T15:06:40", "2025-06-15 15:06:40Z", "2025-06-15T25:00:00Z", "2025-06-15T15:06:40.Z", "yesterday"])
    func badTimestampsDoNotParse(_ text: String) {
        #expect(AuditTimestamp.parse(text) == nil)
    }

    @Test func timestampsFormat() {
        #expect(AuditTimestamp.format(1_750_000_000_123) == "2025-06-15T15:06:40.123Z")
        #expect(AuditTimestamp.format(0) == "1970-01-01T00:00:00.000Z")
    }
}
