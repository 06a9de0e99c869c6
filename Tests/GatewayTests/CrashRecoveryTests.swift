import Audit
import Foundation
import NIOFreeHTTP
import Storage
import Synchronization
import Testing
import TestSupport

/// A real gateway process killed with SIGKILL under a load of card blocks and unblocks, restarted on the same
/// database, at least 20 times: every mutation that got a 2xx has its durable success row, and the chain verifies.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    static let binary = CommandLineTests.binary
    static let cards = ["100000000000000301", "100000000000000302", "100000000000000304", "100000000000000305"]

    /// The 2xx answers seen by the load: request id → action.
    final class Acknowledged: Sendable {
        let byRequestID = Mutex<[String: String]>([:])
    }

    @Test(.requiresGatewayBinary,
          .timeLimit(.minutes(2)))
    func everyAcknowledgedBlockSurvivesSIGKILLAndTheChainVerifies() async throws {
        let directory = NSTemporaryDirectory() + "crash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let db = directory + "/gw.sqlite"
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let environment = ["GATEWAY_MASTER_KEY": key, "PATH": "/usr/bin:/bin"]

        let simulator = try RunningProcess.lowPriority(Self.binary, ["simulator", "--port", "0", "--capture-limit", "0"], environment: environment)
        defer { simulator.stop() }
        let simulatorPort = try await simulator.port(after: "listening on")
        let added = try await CommandLineTests.run(
            ["tenant", "add", "acme", "--db", db, "--name", "Acme", "--weavr-base-url", "http://127.0.0.1:\(simulatorPort)",
             "--prepaid-profile", "EUR=101", "--session-mode", "bearer",
             "--quota", "cards.block=1000000", "--quota", "cards.unblock=1000000"],
            stdin: "sim-demo-api-key\n", environment: environment
        )
        #expect(added.status == 0, "\(added.output)")

        let group = EventLoopGroup(threads: 1)
        var configuration = HTTPClient.Configuration()
        configuration.requestTimeout = .seconds(5)
        let client = try HTTPClient(group: group, configuration: configuration)
        let acknowledged = Acknowledged()
        var cycles = 0
        do {
            while cycles < 20 {
                let gateway = try RunningProcess.lowPriority(Self.binary, ["serve", "--db", db, "--port", "0", "--threads", "1"], environment: environment)
                let port = try await gateway.port(after: "listening on")
                let token = try await Self.login(client, port: port)
                let cycle = cycles
                let load = Task {
                    await withTaskGroup(of: Void.self) { group in
                        for (worker, card) in Self.cards.enumerated() {
                            group.addTask { await Self.toggle(client, port: port, token: token, card: card, worker: worker, cycle: cycle, into: acknowledged) }
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...400)))
                gateway.stop()  // SIGKILL: no shutdown code runs
                guard try await gateway.waitForExit(timeout: .seconds(30)) != nil else { throw HarnessError("the killed gateway did not exit") }
                load.cancel()
                _ = await load.value
                cycles += 1
            }
        } catch {
            await client.shutdown()
            group.shutdown()
            throw error
        }
        await client.shutdown()
        group.shutdown()

        let verified = try await CommandLineTests.run(["audit", "verify", "--db", db], environment: environment)
        #expect(verified.status == 0 && verified.output.hasPrefix("OK"), "\(verified.output)")

        let acknowledgedByID = acknowledged.byRequestID.withLock { $0 }
        #expect(acknowledgedByID.count >= cycles, "the load got too few answers to prove anything")
        let database = try Database.open(path: db, migrations: .gateway)
        defer { database.close() }
        let log = SQLAuditLog(database: database)
        var succeeded: [String: String] = [:]
        for record in try await log.all(AuditFilter(outcome: .success)) where record.action == "card.block" || record.action == "card.unblock" {
            if let requestID = record.requestID { succeeded[requestID] = record.action }
        }
        let missing = acknowledgedByID.filter { succeeded[$0.key] != $0.value }
        #expect(missing.isEmpty, "acknowledged but not in the log: \(missing.prefix(5))")
        #expect(try await log.verify().ok)
    }

    static func login(_ client: HTTPClient, port: Int) async throws -> String {
        var request = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(port)/v1/auth/login")
        request.headers.add("content-type", "application/json")
        request.body = Array(#"{"tenant":"acme","email":"alice@example.com","password":"Password1!","mode":"bearer"}"#.utf8)
        let response = try await client.execute(request)
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard response.status == 200, let token = json?["token"] as? String else {
            throw HarnessError("login: \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return token
    }

    /// Blocks and unblocks `card` in turn until the task is cancelled or the gateway goes away; a 409 (the
    /// card is already in that state, e.g. after a crash ate an answer) just flips the direction.
    static func toggle(_ client: HTTPClient, port: Int, token: String, card: String, worker: Int, cycle: Int, into acknowledged: Acknowledged) async {
        var block = Bool.random()
        var sequence = 0
        while !Task.isCancelled {
            sequence += 1
            let action = block ? "block" : "unblock"
            let requestID = "crash-\(cycle)-\(worker)-\(sequence)"
            var request = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(port)/v1/cards/\(card)/\(action)")
            request.headers.add("authorization", "Bearer \(token)")
            request.headers.add("x-request-id", requestID)
            guard let response = try? await client.execute(request) else { return }
            if (200..<300).contains(response.status) {
                acknowledged.byRequestID.withLock { $0[response.headers["x-request-id"] ?? requestID] = "card." + action }
            }
            block.toggle()
        }
    }
}
