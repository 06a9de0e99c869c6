import Audit
import Auth
import Foundation
@testable import Gateway
import GatewayCore
import Storage
import Testing
import TestSupport

/// `weavr-gateway db copy --from FILE --to postgresql://…`, run as a real process against a real PostgreSQL
/// (`WEAVR_GATEWAY_TEST_DATABASE_URL`): an SQLite install arrives whole, its secrets open with the same master
/// key, its audit chain verifies with the same head, and a copy never merges or carries a broken chain.
@Suite("db copy to PostgreSQL")
struct DatabaseCopyTests {
    /// A small page size, so every table (composite keys included) is read, written and checked over many pages.
    static let pageSize = "7"

    @Test(.requiresGatewayBinary)
    func anInstallArrivesWholeAndASecondCopyIsRefused() async throws {
        let install = try await Install()
        try await PostgresTestDatabase.with(prefix: "wgcopy") { postgres in
            let copied = try await CommandLineTests.run(
                ["db", "copy", "--from", install.path, "--to", postgres.url, "--page-size", Self.pageSize],
                environment: PostgresTestDatabase.childEnvironment
            )
            #expect(copied.status == 0, "\(copied.output)")
            let sourceChain = try await install.chain()
            #expect(copied.output.contains("copied \(install.path) to \(Database.redacted(url: postgres.url)) in one transaction"))
            #expect(copied.output.contains("audit head seq \(sourceChain.headSeq) \(sourceChain.headHash)\n"))
            #expect(copied.output.contains("chain verified: \(sourceChain.rows) rows"))
            // One line per table: name and rows, as many as the source has.
            var printed: [String: Int] = [:]
            for line in copied.output.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count == 2, let rows = Int(fields[1]) { printed[String(fields[0])] = rows }
            }
            #expect(printed == Dictionary(uniqueKeysWithValues: try await install.rowCounts()))
            #expect(printed["audit_log"] == 41 && printed["quota_usage"] == 2 * QuotaOperation.counted.count * 2 && printed["idempotency_keys"] == 10)

            let target = try await postgres.connect(migrations: .gateway)
            defer { target.close() }
            try await install.expectIdentical(to: target)
            try await install.expectServes(from: target)

            // The target now holds an install: a second copy is refused and changes nothing.
            let again = try await CommandLineTests.run(
                ["db", "copy", "--from", install.path, "--to", postgres.url], environment: PostgresTestDatabase.childEnvironment
            )
            #expect(again.status == 1, "\(again.output)")
            #expect(again.output.contains("the target already holds data (2 tenants, 3 signing keys, 10 sessions, 41 audit rows"))
            #expect(again.output.contains("only copies into an empty database, so that two installs are never merged"))
            try await install.expectIdentical(to: target)
        }
    }

    @Test(.requiresGatewayBinary)
    func aTamperedSourceChainIsRefusedNamingTheBadSeqAndNothingIsCopied() async throws {
        let install = try await Install()
        try await install.database.write { connection in
            try connection.run("UPDATE audit_log SET client_ip = '10.0.0.1' WHERE seq = 5")
        }
        try await PostgresTestDatabase.with(prefix: "wgcopy") { postgres in
            let copied = try await CommandLineTests.run(
                ["db", "copy", "--from", install.path, "--to", postgres.url, "--page-size", Self.pageSize],
                environment: PostgresTestDatabase.childEnvironment
            )
            #expect(copied.status == 1, "\(copied.output)")
            #expect(copied.output.contains("audit chain is broken at seq 5: hash does not match the row's contents; nothing was copied"))
            let target = try await postgres.connect(migrations: .gateway)
            defer { target.close() }
            let counts = try await DatabaseCopy.rowCounts(of: ["tenants", "signing_keys", "sessions", "audit_log", "quota_usage"], in: target)
            #expect(counts == [0, 0, 0, 0, 0])
            // Still empty, so a copy of the repaired source can follow.
            #expect(try await SQLAuditLog(database: target).verify().headSeq == 0)
        }
    }

    @Test(.requiresGatewayBinary)
    func aSourceBeingWrittenIsCopiedAsOneSnapshot() async throws {
        let install = try await Install()
        let log = SQLAuditLog(database: install.database, clock: install.clock)
        try await PostgresTestDatabase.with(prefix: "wgcopy") { postgres in
            // Appends (each moving the head) while the copy pages through the source.
            let writer = Task {
                var appended = 0
                while !Task.isCancelled && appended < 2_000 {
                    try await log.append([Install.entry(appended, tenant: "globex")])
                    appended += 1
                }
            }
            let copied = try await CommandLineTests.run(
                ["db", "copy", "--from", install.path, "--to", postgres.url, "--page-size", "3"],
                environment: PostgresTestDatabase.childEnvironment
            )
            writer.cancel()
            _ = try? await writer.value
            #expect(copied.status == 0, "\(copied.output)")
            let target = try await postgres.connect(migrations: .gateway)
            defer { target.close() }
            let chain = try await SQLAuditLog(database: target).verify()
            #expect(chain.ok)
            #expect(chain.rows == Int(chain.headSeq))
            #expect(chain.headSeq >= 41)
            #expect(copied.output.contains("audit head seq \(chain.headSeq) \(chain.headHash)\n"))
            // The copy's head is a head the source really had: its row there has the same hash.
            let sourceHash = try await install.database.read { connection in
                try connection.query("SELECT hash FROM audit_log WHERE seq = ?", [.integer(chain.headSeq)]).first?[0].stringValue
            }
            #expect(sourceHash == chain.headHash)
        }
    }

    @Test(.requiresGatewayBinary)
    func aMissingSourceIsRefusedAndNotCreated() async throws {
        let directory = try TemporaryDirectory("weavr-gateway-dbcopy")
        let missing = directory.file("typo.sqlite")
        let result = try await CommandLineTests.run(
            ["db", "copy", "--from", missing, "--to", "postgresql://weavr@127.0.0.1:1/none"], environment: ["PATH": "/usr/bin:/bin"]
        )
        #expect(result.status != 0)
        #expect(result.output.contains("--from: no database at \(missing)"))
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test(.requiresGatewayBinary)
    func anUnreachableTargetIsNamedWithoutItsPassword() async throws {
        let install = try await Install()
        let result = try await CommandLineTests.run(
            ["db", "copy", "--from", install.path, "--to", "postgresql://weavr:hunter2-not-shown@127.0.0.1:1/none"],
            environment: ["PATH": "/usr/bin:/bin"]
        )
        #expect(result.status == 1)
        #expect(result.output.contains("db copy: target postgresql://weavr@127.0.0.1:1/none: cannot connect to PostgreSQL"))
        #expect(!result.output.contains("hunter2"))
    }
}

/// An SQLite install with some of everything: tenants (api keys), signing keys (active, verifying, retired),
/// sessions (Weavr tokens, one revoked), audit rows, quota usage, idempotent responses (binary bodies),
/// a record-once key and a readiness heartbeat.
final class Install: Sendable {
    let directory: TemporaryDirectory
    let path: String
    let database: Database
    let masterKey: MasterKey
    let clock = ManualWallClock(now: 1_750_000_000_000)
    let apiKeys: [String: String]
    let sessions: [(sid: String, tenant: String, token: String, revoked: Bool)]
    let responses: [(scope: IdempotencyScope, fingerprint: [UInt8], response: IdempotentResponse)]
    let days = [UTCDay(containing: 1_750_000_000_000), UTCDay(containing: 1_750_000_000_000 - 86_400_000)]

    var secretBox: SecretBox { SecretBox(masterKey: masterKey) }

    init() async throws {
        directory = try TemporaryDirectory("weavr-gateway-dbcopy")
        path = directory.file("gateway.sqlite")
        database = try Database.open(path: path, migrations: .gateway)
        masterKey = try MasterKey.generate()
        let box = SecretBox(masterKey: masterKey)

        let tenants = SQLTenantStore(database: database, secretBox: box, clock: clock)
        var apiKeys: [String: String] = [:]
        for (id, name) in [("acme", "Acme ÆØÅ 🚀"), ("globex", "Globex")] {
            let key = "live-\(id)-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            _ = try await tenants.create(
                Tenant(id: id, name: name, weavrBaseURL: "https://sandbox.weavr.io/multi",
                       cardProfiles: .init(prepaid: ["EUR": "101"]), allowedOrigins: ["https://\(id).example"], quotas: ["cards.issue": 7]),
                weavrAPIKey: key
            )
            apiKeys[id] = key
        }
        _ = try await tenants.setStatus("globex", .suspended)
        self.apiKeys = apiKeys

        let keys = SQLKeyRingStore(database: database, masterKey: masterKey, clock: clock)
        let first = try await keys.ensureActiveKey()
        _ = try await keys.rotate()
        _ = try await keys.retire(first.kid)
        _ = try await keys.rotate()

        let store = SQLSessionStore(database: database, secretBox: box, clock: clock)
        var sessions: [(sid: String, tenant: String, token: String, revoked: Bool)] = []
        for index in 0..<10 {
            let tenant = index % 3 == 0 ? "globex" : "acme"
            let token = "weavr-token-\(index)-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let session = try await store.create(
                tenantID: tenant, userID: "user-\(index)", identity: WeavrIdentity(type: "consumer", id: "c-\(index)"), weavrToken: token
            )
            let revoked = index == 4
            if revoked { _ = try await store.revoke(sid: session.sid, tenantID: tenant) }
            sessions.append((session.sid, tenant, token, revoked))
        }
        self.sessions = sessions

        let log = SQLAuditLog(database: database, clock: clock)
        for batch in 0..<4 {
            try await log.append((0..<10).map { Self.entry(batch * 10 + $0, tenant: batch % 2 == 0 ? "acme" : "globex") })
        }
        _ = try await log.appendOnce(key: "bulk-1:done", [Self.entry(99, tenant: "acme")])

        let ledger = SQLQuotaLedger(database: database, clock: clock)
        for tenant in ["acme", "globex"] {
            for (offset, operation) in QuotaOperation.counted.enumerated() {
                for day in days {
                    _ = try await ledger.consume(tenant: tenant, operation: operation, amount: offset + 1, limit: 1_000, day: day)
                }
            }
        }

        let idempotency = SQLIdempotencyStore(database: database, clock: clock)
        var responses: [(scope: IdempotencyScope, fingerprint: [UInt8], response: IdempotentResponse)] = []
        for index in 0..<9 {
            let scope = IdempotencyScope(tenantID: "acme", userID: "user-\(index % 2)", key: "key-\(index)")
            let fingerprint = (0..<32).map { _ in UInt8.random(in: 0...255) }
            // Every byte value, 0x00 and invalid UTF-8 included.
            let body = (0..<(300 + index)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
            let response = IdempotentResponse(status: 201, contentType: "application/json", location: "/v1/cards/\(index)", body: body)
            #expect(try await idempotency.claim(scope, fingerprint: fingerprint) == .acquired)
            try await idempotency.complete(scope, fingerprint: fingerprint, response: response, auditing: [])
            responses.append((scope, fingerprint, response))
        }
        #expect(try await idempotency.claim(IdempotencyScope(tenantID: "globex", userID: "u", key: "in-flight"), fingerprint: [1]) == .acquired)
        self.responses = responses

        try await database.write { connection in
            try connection.run("INSERT INTO readiness_heartbeat (id, written_at) VALUES (1, ?)", [.integer(1_750_000_000_123)])
        }

        // Weavr events and their receipts (no audit rows: the counts above stay), the event head with them.
        let events = WeavrEventStore(database: database, clock: clock)
        for index in 0..<5 {
            let body = #"{"id":{"id":"10\#(index)","type":"managed_cards"},"eventType":"BLOCKED","owner":{"type":"corporates","id":"1"}}"#
            let event = try #require(WeavrWebhookEvent(kind: .cardStateChange, body: Array(body.utf8)))
            _ = try await events.record(tenantID: "acme", callRef: "ref-\(index)", event: event, audit: nil)
        }
    }

    deinit {
        database.close()
    }

    static func entry(_ index: Int, tenant: String) -> AuditEntry {
        AuditEntry(
            tenant: tenant, actor: "user-\(index % 7)", sessionID: "sid-\(index % 3)", action: index % 2 == 0 ? .cardBlock : .cardIssue,
            target: "card-\(index)", outcome: index % 5 == 0 ? .denied : .success, httpStatus: index % 5 == 0 ? 403 : 200,
            requestID: "req-\(index)", clientIP: "203.0.113.\(index % 250)", userAgent: "Mozilla/5.0 (test) “quoted” ✓",
            details: try! AuditDetails(["reason": "lost", "attempt": .integer(Int64(index))])
        )
    }

    func chain() async throws -> AuditVerification {
        try await SQLAuditLog(database: database).verify()
    }

    /// The source's tables (from `sqlite_master`) and their row counts.
    func rowCounts() async throws -> [(String, Int)] {
        let tables = try await database.read { connection in
            try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
                .compactMap { $0[0].stringValue }
        }
        return zip(tables, try await DatabaseCopy.rowCounts(of: tables, in: database)).map { ($0, $1) }
    }

    /// Every table of the source has exactly its rows in `target`, value for value (BLOBs byte for byte).
    func expectIdentical(to target: Database) async throws {
        let counts = try await rowCounts()
        #expect(counts.count == 18)  // every table of Migrations.gateway (versions 1–16)
        for (table, _) in counts {
            let columns = try await database.read { connection in
                try connection.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]).compactMap { $0[0].stringValue }
            }
            let select = "SELECT \(columns.joined(separator: ", ")) FROM \(table)"
            let sourceRows = try await database.read { try $0.query(select).map(\.values) }
            let targetRows = try await target.read { try $0.query(select).map(\.values) }
            #expect(sourceRows.count == targetRows.count, "\(table)")
            #expect(Set(sourceRows) == Set(targetRows), "\(table)")
        }
        let sealed = try await target.read { try $0.query("SELECT api_key_sealed FROM tenants").compactMap { $0[0].bytesValue } }
        #expect(sealed.count == 2 && sealed.allSatisfy { $0.count > 32 })
    }

    /// The stores on `target`, with the same master key, read what the install wrote.
    func expectServes(from target: Database) async throws {
        let box = secretBox
        let tenants = SQLTenantStore(database: target, secretBox: box, clock: clock)
        for (id, key) in apiKeys {
            #expect(try await tenants.weavrAPIKey(for: id) == key)
            #expect(try await tenants.get(id) == SQLTenantStore(database: database, secretBox: box).get(id))
        }
        #expect(try await tenants.get("globex")?.status == .suspended)

        // (`SQLKeyRingStore.list()` orders by SQLite's rowid: it cannot run on PostgreSQL yet.)
        let keys = try await SQLKeyRingStore(database: target, masterKey: masterKey, clock: clock).loadVerifyingKeys()
        let sourceKeys = try await SQLKeyRingStore(database: database, masterKey: masterKey).loadVerifyingKeys()
        #expect(keys.count == 2)
        #expect(Set(keys.map(\.info)) == Set(sourceKeys.map(\.info)))
        for key in keys {
            #expect(sourceKeys.contains { $0.info == key.info && $0.material.constantTimeEquals(key.material) })
        }

        let store = SQLSessionStore(database: target, secretBox: box, clock: clock)
        for session in sessions {
            #expect(try await store.weavrToken(sid: session.sid, tenantID: session.tenant) == (session.revoked ? nil : session.token))
        }

        let chain = try await SQLAuditLog(database: target).verify()
        let sourceChain = try await self.chain()
        #expect(chain.ok)
        #expect(chain.rows == 41 && sourceChain.rows == 41)
        #expect(chain.headSeq == sourceChain.headSeq && chain.headHash == sourceChain.headHash)
        #expect(try await SQLAuditLog(database: target).isRecorded(key: "bulk-1:done"))

        let ledger = SQLQuotaLedger(database: target, clock: clock)
        for day in days {
            #expect(try await ledger.usage(tenant: "acme", day: day) == SQLQuotaLedger(database: database).usage(tenant: "acme", day: day))
            #expect(try await ledger.usage(tenant: "globex", day: day)[.cardsDestroy] == 4)
        }

        let idempotency = SQLIdempotencyStore(database: target, clock: clock)
        for (scope, fingerprint, response) in responses {
            #expect(try await idempotency.claim(scope, fingerprint: fingerprint) == .replay(response))
        }
    }
}
