import Audit
import Gateway
import Foundation
import NIOFreeHTTP
import Storage
import Synchronization
import Testing
import TestSupport

/// Two real `weavr-gateway serve` processes on one real PostgreSQL database (a fresh one per test on the cluster
/// of `WEAVR_GATEWAY_TEST_DATABASE_URL`), with a real simulator process: what several instances behind a load
/// balancer must agree on (docs/ARCHITECTURE.md, "Several instances").
@Suite("Several instances on PostgreSQL", .serialized)
struct MultiInstanceTests {
    static let binary = CommandLineTests.binary
    static let cards = ["100000000000000301", "100000000000000302", "100000000000000304", "100000000000000305"]

    /// A session made on A works on B; A's logout is seen by B's very next request (sessions are read per request).
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func aSessionMadeOnAWorksOnBAndALogoutOnAIsRefusedOnBAtOnce() async throws {
        try await TwoInstances.run { pair in
            let token = try await pair.login(on: pair.a)
            #expect(try await pair.call(pair.b, "GET", "/v1/me", token: token).status == 200)
            #expect(try await pair.call(pair.a, "POST", "/v1/auth/logout", token: token).status == 204)
            let after = try await pair.call(pair.b, "GET", "/v1/me", token: token)
            #expect(after.status == 401, "B served a session A had ended: \(after.status)")
        }
    }

    /// An operator revoking one session, then all of the tenant's, on A's admin API: B refuses them on its
    /// very next request.
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func anAdminRevocationOnAIsRefusedOnBAtOnce() async throws {
        try await TwoInstances.run { pair in
            let first = try await pair.login(on: pair.a)
            let second = try await pair.login(on: pair.b)
            let me = try await pair.call(pair.b, "GET", "/v1/me", token: first)
            #expect(me.status == 200)
            let listed = try await pair.admin("GET", "/admin/v1/tenants/acme/sessions")
            #expect(listed.status == 200, "\(listed.text)")
            let sessions = (try? JSONSerialization.jsonObject(with: Data(listed.text.utf8))) as? [[String: Any]] ?? []
            #expect(sessions.count == 2, "\(listed.text)")
            // Which listed session is `first`: revoke each in turn until B refuses `first`, checking `second` lives.
            var revoked = false
            for sid in sessions.compactMap({ $0["sid"] as? String }) where !revoked {
                #expect(try await pair.admin("DELETE", "/admin/v1/tenants/acme/sessions/\(sid)").status == 204)
                revoked = try await pair.call(pair.b, "GET", "/v1/me", token: first).status == 401
                if !revoked {
                    #expect(try await pair.call(pair.b, "GET", "/v1/me", token: second).status == 401)
                }
            }
            #expect(revoked, "B served a session A's admin API had revoked")
            let third = try await pair.login(on: pair.b)
            #expect(try await pair.call(pair.a, "GET", "/v1/me", token: third).status == 200)
            #expect(try await pair.admin("DELETE", "/admin/v1/tenants/acme/sessions").status == 200)
            #expect(try await pair.call(pair.b, "GET", "/v1/me", token: third).status == 401)
        }
    }

    /// `keys rotate` + `keys retire` and `tenant suspend` from the command line reach both running instances.
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func keyRetirementAndTenantSuspensionReachBothInstances() async throws {
        try await TwoInstances.run { pair in
            let token = try await pair.login(on: pair.a)
            let kid = String(token.split(separator: ".")[1])
            #expect(try await pair.cli(["keys", "rotate"]).status == 0)
            let retired = try await pair.cli(["keys", "retire", kid])
            #expect(retired.status == 0, "\(retired.output)")
            for instance in [pair.a, pair.b] {
                try await waitUntil(timeout: .seconds(10)) {
                    try await pair.call(instance, "GET", "/v1/me", token: token).status == 401
                }
            }
            let fresh = try await pair.login(on: pair.b)
            #expect(try await pair.call(pair.a, "GET", "/v1/me", token: fresh).status == 200)
            #expect(try await pair.cli(["tenant", "suspend", "acme"]).status == 0)
            for instance in [pair.a, pair.b] {
                try await waitUntil(timeout: .seconds(10)) {
                    try await pair.call(instance, "GET", "/v1/me", token: fresh).status == 401
                }
            }
        }
    }

    /// A daily quota of L card issues, 10·L concurrent creates spread over both instances: exactly L succeed.
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func aDailyQuotaIsExactAcrossInstances() async throws {
        let limit = 6
        try await TwoInstances.run(quotas: ["cards.issue=\(limit)"]) { pair in
            let token = try await pair.login(on: pair.a)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<(10 * limit) {
                    group.addTask {
                        try await pair.call(index % 2 == 0 ? pair.a : pair.b, "POST", "/v1/cards", token: token, json: TwoInstances.newCard(index)).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == limit, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count == 9 * limit, "\(statuses.sorted())")
        }
    }

    /// A session rate of R per minute, requests alternating between the instances: no more than R pass
    /// (GCRA in the shared database; R + 1 allows one refill during the burst).
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func aSessionRateLimitHoldsAcrossInstances() async throws {
        let rate = 30
        try await TwoInstances.run(quotas: ["rate.session_per_minute=\(rate)"]) { pair in
            let token = try await pair.login(on: pair.a)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<(3 * rate) {
                    group.addTask { try await pair.call(index % 2 == 0 ? pair.a : pair.b, "GET", "/v1/me", token: token).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let allowed = statuses.filter { $0 == 200 }.count
            #expect(allowed >= rate - 1 && allowed <= rate + rate / 20 + 1, "allowed \(allowed) of \(statuses.count) at \(rate)/min")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 }, "\(Set(statuses))")
        }
    }

    /// A tenant's rate across instances and sessions: two users' sessions, requests spread over both
    /// instances, one budget (the session rate is far above it, so only the tenant's bucket refuses).
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func aTenantRateLimitHoldsAcrossInstancesAndSessions() async throws {
        let rate = 40
        try await TwoInstances.run(quotas: ["rate.tenant_per_minute=\(rate)", "rate.session_per_minute=100000"]) { pair in
            let tokens = [try await pair.login(on: pair.a), try await pair.login(on: pair.b)]
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<(3 * rate) {
                    group.addTask {
                        try await pair.call(index % 2 == 0 ? pair.a : pair.b, "GET", "/v1/me", token: tokens[(index / 2) % 2]).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let allowed = statuses.filter { $0 == 200 }.count
            #expect(allowed >= rate - 1 && allowed <= rate + rate / 20 + 1, "allowed \(allowed) of \(statuses.count) at \(rate)/min")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 }, "\(Set(statuses))")
        }
    }

    /// The same Idempotency-Key sent to A and B at once: Weavr is called once; the other answer replays it or
    /// says the first is still running.
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func oneIdempotencyKeySentToBothInstancesCallsWeavrOnce() async throws {
        try await TwoInstances.run { pair in
            let token = try await pair.login(on: pair.a)
            let before = try await pair.call(pair.a, "GET", "/v1/cards?limit=100", token: token).json["cards"] as? [Any]
            async let first = pair.call(pair.a, "POST", "/v1/cards", token: token, json: TwoInstances.newCard(1), headers: ["idempotency-key": "same-key"])
            async let second = pair.call(pair.b, "POST", "/v1/cards", token: token, json: TwoInstances.newCard(1), headers: ["idempotency-key": "same-key"])
            let answers = try await [first, second]
            #expect(answers.contains { $0.status == 201 }, "\(answers.map(\.status))")
            #expect(answers.allSatisfy { $0.status == 201 || $0.status == 409 }, "\(answers.map { "\($0.status) \($0.text)" })")
            if answers.allSatisfy({ $0.status == 201 }) {
                #expect(answers[0].json["id"] as? String == answers[1].json["id"] as? String)
            }
            let after = try await pair.call(pair.b, "GET", "/v1/cards?limit=100", token: token).json["cards"] as? [Any]
            #expect((after?.count ?? 0) == (before?.count ?? 0) + 1, "Weavr was asked to create more than one card")
            let created = try await pair.auditRows(action: "card.issue", outcome: .success)
            #expect(created == 1)
        }
    }

    /// Audited blocks on both instances, one of them killed with SIGKILL part way: the other keeps serving,
    /// every acknowledged block has its success row, and the one chain verifies (gapless across instances).
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func killingOneInstanceUnderLoadLosesNothingAcknowledgedAndTheChainVerifies() async throws {
        try await TwoInstances.run(quotas: ["cards.block=1000000", "cards.unblock=1000000"]) { pair in
            let token = try await pair.login(on: pair.a)
            let acknowledged = CrashRecoveryTests.Acknowledged()
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for (worker, card) in Self.cards.enumerated() {
                        let instance = worker % 2 == 0 ? pair.a : pair.b
                        group.addTask {
                            await CrashRecoveryTests.toggle(pair.client, port: instance.port, token: token, card: card, worker: worker, cycle: instance.port, into: acknowledged)
                        }
                    }
                }
            }
            // Kill A once both have acknowledged some blocks.
            try await waitUntil(timeout: .seconds(60)) { acknowledged.byRequestID.withLock { $0.count } >= 20 }
            pair.a.process.stop()
            _ = try await pair.a.process.waitForExit(timeout: .seconds(30))
            let countAtKill = acknowledged.byRequestID.withLock { $0.count }
            // B goes on answering.
            try await waitUntil(timeout: .seconds(60)) { acknowledged.byRequestID.withLock { $0.count } >= countAtKill + 20 }
            load.cancel()
            _ = await load.value

            let database = try await pair.postgres.connect(migrations: .gateway)
            defer { database.close() }
            let log = SQLAuditLog(database: database)
            var succeeded: [String: String] = [:]
            for record in try await log.all(AuditFilter(outcome: .success)) where record.action == "card.block" || record.action == "card.unblock" {
                if let requestID = record.requestID { succeeded[requestID] = record.action }
            }
            let acknowledgedByID = acknowledged.byRequestID.withLock { $0 }
            let missing = acknowledgedByID.filter { succeeded[$0.key] != $0.value }
            #expect(missing.isEmpty, "acknowledged but not in the log: \(missing.prefix(5))")
            let verification = try await log.verify()
            #expect(verification.ok, "\(verification.reason ?? "")")
            let verified = try await pair.cli(["audit", "verify"])
            #expect(verified.status == 0 && verified.output.hasPrefix("OK"), "\(verified.output)")
        }
    }

    /// The database refuses connections: audited mutations fail closed (503) on both instances and Weavr is not
    /// called; when it comes back, the instances recover by themselves.
    @Test(.requiresGatewayBinary, .timeLimit(.minutes(2)))
    func anUnreachableDatabaseFailsMutationsClosedAndTheInstancesRecover() async throws {
        try await TwoInstances.run { pair in
            let token = try await pair.login(on: pair.a)
            let card = Self.cards[0]
            #expect(try await pair.call(pair.b, "POST", "/v1/cards/\(card)/block", token: token).status == 200)
            try pair.setDatabaseReachable(false)
            for instance in [pair.a, pair.b] {
                let refused = try await pair.call(instance, "POST", "/v1/cards/\(card)/unblock", token: token)
                #expect(refused.status == 503, "\(refused.status) \(refused.text)")
                #expect(try await pair.call(instance, "GET", "/readyz").status == 503)
            }
            try pair.setDatabaseReachable(true)
            for instance in [pair.a, pair.b] {
                try await waitUntil(timeout: .seconds(30)) {
                    try await pair.call(instance, "GET", "/readyz").status == 200
                }
            }
            // Every connection of the pool reconnects on its own (backoff up to 5 s). The card is still
            // blocked: the refused unblocks never reached Weavr (else this would be 409).
            let unblocked = Mutex(0)
            try await waitUntil(timeout: .seconds(30)) {
                let status = try await pair.call(pair.a, "POST", "/v1/cards/\(card)/unblock", token: token).status
                unblocked.withLock { $0 = status }
                return status != 503
            }
            #expect(unblocked.withLock { $0 } == 200)
            #expect(try await pair.auditRows(action: "card.unblock", outcome: .success) == 1)
            #expect(try await pair.cli(["audit", "verify"]).status == 0)
        }
    }
}

/// A simulator process and two gateway processes on one fresh PostgreSQL database.
final class TwoInstances: Sendable {
    struct Instance: Sendable {
        let process: RunningProcess
        let port: Int
        /// The admin API's port (A only).
        var adminPort: Int?
    }

    struct Reply: Sendable {
        var status: Int
        var text: String
        var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]) ?? [:]
        }
    }

    let postgres: PostgresTestDatabase
    let directory: TemporaryDirectory
    /// A bearer token of A's admin API.
    let adminToken: String
    let environment: [String: String]
    let simulator: RunningProcess
    let a: Instance
    let b: Instance
    let group: EventLoopGroup
    let client: HTTPClient
    var url: String { postgres.url }

    static func newCard(_ index: Int) -> [String: Any] {
        ["name": "Card \(index)", "nameOnCard": "Alice Admin", "currency": "EUR", "mode": "prepaid",
         "billingAddress": ["line1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"]]
    }

    static func run(quotas: [String] = [], _ body: (TwoInstances) async throws -> Void) async throws {
        let pair = try await TwoInstances(quotas: quotas)
        do {
            try await body(pair)
        } catch {
            await pair.shutdown()
            throw error
        }
        await pair.shutdown()
    }

    private init(quotas: [String]) async throws {
        postgres = try await PostgresTestDatabase.create()
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        environment = ["GATEWAY_MASTER_KEY": key, "PATH": "/usr/bin:/bin", "WEAVR_GATEWAY_DATABASE_URL": postgres.url]
        simulator = try RunningProcess.lowPriority(CommandLineTests.binary, ["simulator", "--port", "0", "--capture-limit", "0"], environment: environment)
        let simulatorPort = try await simulator.port(after: "listening on")
        let added = try await CommandLineTests.run(
            ["tenant", "add", "acme", "--name", "Acme", "--weavr-base-url", "http://127.0.0.1:\(simulatorPort)",
             "--prepaid-profile", "EUR=101", "--session-mode", "bearer"] + quotas.flatMap { ["--quota", $0] },
            stdin: "sim-demo-api-key\n", environment: environment
        )
        guard added.status == 0 else { throw HarnessError("tenant add: \(added.output)") }
        directory = try TemporaryDirectory()
        let (adminToken, adminLine) = try AdminTokens.generate(name: "ops")
        self.adminToken = adminToken
        try Data((adminLine + "\n").utf8).write(to: URL(fileURLWithPath: directory.file("admin-tokens")))
        @Sendable func start(_ environment: [String: String], admin: [String]) async throws -> Instance {
            let process = try RunningProcess.lowPriority(
                CommandLineTests.binary, ["serve", "--port", "0", "--threads", "1"] + admin, environment: environment
            )
            let port = try await process.port(after: "weavr-gateway listening on")
            return Instance(process: process, port: port, adminPort: admin.isEmpty ? nil : try await process.port(after: "admin API listening on http://"))
        }
        a = try await start(environment, admin: ["--admin-port", "0", "--admin-tokens", directory.file("admin-tokens")])
        b = try await start(environment, admin: [])
        group = EventLoopGroup(threads: 1)
        var configuration = HTTPClient.Configuration()
        configuration.requestTimeout = .seconds(20)
        client = try HTTPClient(group: group, configuration: configuration)
    }

    func shutdown() async {
        a.process.stop()
        b.process.stop()
        simulator.stop()
        _ = try? await a.process.waitForExit(timeout: .seconds(10))
        _ = try? await b.process.waitForExit(timeout: .seconds(10))
        await client.shutdown()
        group.shutdown()
        try? setDatabaseReachable(true)
        try? await postgres.drop()
    }

    func call(_ instance: Instance, _ method: String, _ path: String, token: String? = nil,
              json: [String: Any]? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(instance.port)\(path)")
        if let token { request.headers.add("authorization", "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name, value) }
        if let json {
            request.headers.add("content-type", "application/json")
            request.body = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        }
        let response = try await client.execute(request)
        return Reply(status: response.status, text: String(decoding: response.body, as: UTF8.self))
    }

    /// A call to A's admin API.
    func admin(_ method: String, _ path: String) async throws -> Reply {
        var request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(a.adminPort ?? 0)\(path)")
        request.headers.add("authorization", "Bearer \(adminToken)")
        let response = try await client.execute(request)
        return Reply(status: response.status, text: String(decoding: response.body, as: UTF8.self))
    }

    func login(on instance: Instance) async throws -> String {
        try await CrashRecoveryTests.login(client, port: instance.port)
    }

    /// Runs a command of the binary on this database (`WEAVR_GATEWAY_DATABASE_URL`).
    func cli(_ arguments: [String]) async throws -> CommandLineTests.Result {
        try await CommandLineTests.run(arguments, environment: environment)
    }

    func auditRows(action: String, outcome: AuditOutcome) async throws -> Int {
        let database = try await postgres.connect(migrations: .gateway)
        defer { database.close() }
        return try await SQLAuditLog(database: database).all(AuditFilter(action: action, outcome: outcome)).count
    }

    /// Makes the database refuse every connection (and drops the open ones), or accept them again: to the
    /// instances it is as if the server had gone away.
    func setDatabaseReachable(_ reachable: Bool) throws {
        let cluster = try PostgresTestDatabase.clusterURL()
        if reachable {
            try Database.executeOnce(url: cluster, script: "ALTER DATABASE \(postgres.name) ALLOW_CONNECTIONS true")
        } else {
            try Database.executeOnce(url: cluster, script: """
                ALTER DATABASE \(postgres.name) ALLOW_CONNECTIONS false;
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(postgres.name)' AND pid <> pg_backend_pid();
                """)
        }
    }
}
