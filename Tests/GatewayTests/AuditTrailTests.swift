import Audit
import Auth
import Foundation
@testable import Gateway
import NIOFreeHTTP
import Storage
import Synchronization
import Testing
import TestSupport

/// The audit rows the `/v1` API writes (docs/ARCHITECTURE.md "Quotas and audit"), end to end over real sockets.
@Suite("Audit trail")
struct AuditTrailTests {
    typealias Seed = GatewayHarness.Seed

    static func withHarness(_ body: (GatewayHarness) async throws -> Void) async throws {
        let harness = try await GatewayHarness()
        do {
            try await body(harness)
            let verification = try await harness.services.audit.verify()
            #expect(verification.ok, "\(verification)")
            try await expectNoSecrets(harness)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    /// No row, and no byte of the database file, holds the api-key, a password or a Weavr token.
    static func expectNoSecrets(_ harness: GatewayHarness) async throws {
        let rows = try await harness.services.audit.all()
        for secret in ["sim-demo-api-key", GatewayHarness.otherAPIKey, "Password1!", "Wrong-password-9", "simtok."] {
            #expect(!rows.contains { $0.allText.contains(secret) }, "\(secret) in an audit row")
            #expect(!harness.databaseBytes().contains(bytes: Array(secret.utf8)), "\(secret) in the database file")
        }
        // No details value holds a card number (AuditDetails refuses Luhn-valid runs; ids are in `target`).
        for row in rows {
            #expect(!row.details.contains("cardNumber"))
        }
    }

    @Test func aCardBlockWritesItsIntentThenItsSuccessWithWeavrsRequestRef() async throws {
        try await Self.withHarness { harness in
            let token = try await harness.login()
            let reply = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/block", token: token, headers: ["user-agent": "audit-test/1.0"])
            #expect(reply.status == 200)
            let requestID = try #require(reply.headers["x-request-id"])
            let rows = try await harness.services.audit.all(AuditFilter(action: "card.block", target: Seed.fundedEUR))
            #expect(rows.map(\.outcome) == ["intent", "success"])
            let (intent, success) = (rows[0], rows[1])
            #expect(intent.seq < success.seq)
            for row in rows {
                #expect(row.tenant == "acme")
                #expect(row.actor == "100000000000000101" || (row.actor != "unknown" && !row.actor.isEmpty))
                #expect(row.sessionHash?.count == 64)
                #expect(row.requestID == requestID)
                #expect(row.clientIP == "127.0.0.1")
                #expect(row.userAgent == "audit-test/1.0")
            }
            #expect(intent.httpStatus == nil && intent.upstreamRequestRef == nil)
            #expect(success.httpStatus == 200 && success.upstreamStatus == 204)
            #expect((success.upstreamRequestRef ?? "").isEmpty == false)
            // The session id itself is never stored, only its hash.
            #expect(!rows.contains { $0.allText.contains(token) })
        }
    }

    @Test func aFailingBlockWritesItsIntentAndAFailureWithTheUpstreamStatus() async throws {
        try await Self.withHarness { harness in
            let token = try await harness.login()
            let reply = try await harness.call("POST", "/v1/cards/\(Seed.userBlocked)/block", token: token)
            #expect(reply.status == 409)
            let rows = try await harness.services.audit.all(AuditFilter(action: "card.block", target: Seed.userBlocked))
            #expect(rows.map(\.outcome) == ["intent", "failure"])
            let failure = try #require(rows.last)
            #expect(failure.httpStatus == 409 && failure.upstreamStatus == 409)
            #expect((failure.upstreamRequestRef ?? "").isEmpty == false)
            #expect(failure.details.contains("INSTRUMENT_ALREADY_BLOCKED"))
            #expect(failure.requestID == reply.headers["x-request-id"])
        }
    }

    @Test func readsWriteNoRowsAndEveryCardMutationIsAudited() async throws {
        try await Self.withHarness { harness in
            let token = try await harness.login()
            let before = try await harness.services.audit.all().count
            #expect(try await harness.call("GET", "/v1/cards", token: token).status == 200)
            #expect(try await harness.call("GET", "/v1/cards/\(Seed.fundedEUR)", token: token).status == 200)
            #expect(try await harness.call("GET", "/v1/me", token: token).status == 200)
            #expect(try await harness.services.audit.all().count == before)

            let created = try await harness.createCard(token: token)
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            #expect(try await harness.call("PATCH", "/v1/cards/\(id)", token: token, json: ["name": "Renamed"]).status == 200)
            #expect(try await harness.call("POST", "/v1/cards/\(id)/block", token: token).status == 200)
            #expect(try await harness.call("POST", "/v1/cards/\(id)/unblock", token: token).status == 200)
            #expect(try await harness.call("DELETE", "/v1/cards/\(id)", token: token).status == 204)
            let rows = try await harness.services.audit.all(AuditFilter(action: "card.*"))
            let pairs = rows.map { "\($0.action) \($0.outcome)" }
            #expect(pairs == [
                "card.issue intent", "card.issue success", "card.update intent", "card.update success",
                "card.block intent", "card.block success", "card.unblock intent", "card.unblock success",
                "card.destroy intent", "card.destroy success",
            ])
            #expect(rows[0].target == nil)
            #expect(rows.dropFirst().allSatisfy { $0.target == id })
        }
    }

    @Test func authEventsAndAccessDenialsAreAuditedWithoutCredentials() async throws {
        try await Self.withHarness { harness in
            let wrong = try await harness.call("POST", "/v1/auth/login", json: ["tenant": "acme", "email": "alice@example.com", "password": "Wrong-password-9", "mode": "bearer"])
            #expect(wrong.status == 401)
            let token = try await harness.login()
            let logins = try await harness.services.audit.all(AuditFilter(action: "auth.login"))
            #expect(logins.map(\.outcome) == ["failure", "success"])
            #expect(logins[0].actor == "unknown")
            #expect(logins[0].details.contains("email_sha256"))
            #expect(!logins.contains { $0.allText.contains("alice@example.com") })
            #expect(logins[1].actor != "unknown" && logins[1].sessionHash?.count == 64)

            // A sensitive read without step-up: one access.denied row. Forged tokens: counted, one row per
            // client IP, reason and minute when flushed.
            #expect(try await harness.call("GET", "/v1/cards", token: "gw1.x.y.z").status == 401)
            #expect(try await harness.call("GET", "/v1/cards", token: "gw1.a.b.c").status == 401)
            #expect(try await harness.call("GET", "/v1/cards").status == 401)  // no credential: not recorded
            #expect(try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/physical/pin", token: token).status == 403)
            var denials = try await harness.services.audit.all(AuditFilter(action: "access.denied"))
            #expect(denials.count == 1)
            #expect(denials[0].details.contains("step_up_required") && denials[0].tenant == "acme" && denials[0].httpStatus == 403)
            try await harness.services.denials.flush(everything: true)
            denials = try await harness.services.audit.all(AuditFilter(action: "access.denied"))
            // One row per minute: two forged tokens sent either side of a minute's end make two rows of one.
            let forged = denials.dropFirst()
            #expect((1...2).contains(forged.count))
            #expect(forged.allSatisfy { $0.actor == "anonymous" && $0.details.contains("invalid_session") })
            let counted = forged.compactMap { row in
                row.details.split(separator: ",").first { $0.contains("\"count\":") }.flatMap { Int($0.split(separator: ":").last?.filter(\.isNumber) ?? "") }
            }
            #expect(counted.reduce(0, +) == 2, "\(forged.map(\.details))")

            #expect(try await harness.call("POST", "/v1/auth/step-up", token: token).status == 202)
            #expect(try await harness.call("POST", "/v1/auth/step-up/verify", token: token, json: ["code": "000000"]).status == 422)
            #expect(try await harness.call("POST", "/v1/auth/step-up/verify", token: token, json: ["code": "123456"]).status == 200)
            #expect(try await harness.services.audit.all(AuditFilter(action: "auth.step_up")).map(\.outcome) == ["failure", "success"])
            #expect(try await harness.call("POST", "/v1/auth/logout", token: token).status == 204)
            #expect(try await harness.services.audit.all(AuditFilter(action: "auth.logout")).count == 1)
            #expect(!(try await harness.services.audit.all()).contains { $0.allText.contains(token) })
        }
    }

    @Test func aBulkIsAuditedOnSubmitAndItsOperationsExactlyOnceWhenFinal() async throws {
        try await Self.withHarness { harness in
            let token = try await harness.login()
            let ids = try await harness.createCards(3)
            let submitted = try await harness.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": ids])
            #expect(submitted.status == 202)
            let bulkID = try #require(submitted.json["id"] as? String)
            let submits = try await harness.services.audit.all(AuditFilter(action: "bulk.submit"))
            #expect(submits.map(\.outcome) == ["intent", "success"])
            #expect(submits[0].details.contains("\"count\":3") && submits[0].details.contains("card_block"))
            #expect(submits[1].target == bulkID)
            // One intent per card, in the same append as the submit's intent.
            let intents = try await harness.services.audit.all(AuditFilter(action: "bulk.operation", outcome: .intent))
            #expect(intents.map(\.target) == ids)
            #expect(intents.allSatisfy { $0.seq > submits[0].seq && $0.seq < submits[1].seq })

            _ = try await harness.waitForBulk(bulkID, token: token)
            // Several reads of the final bulk, some concurrent: the operations are recorded once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { _ = try await harness.call("GET", "/v1/bulk/\(bulkID)", token: token) } }
                try await group.waitForAll()
            }
            let operations = try await harness.services.audit.all(AuditFilter(action: "bulk.operation", outcome: .success))
            #expect(operations.count == 3)
            #expect(Set(operations.compactMap(\.target)) == Set(ids))
            #expect(operations.allSatisfy { $0.details.contains(bulkID) || $0.details.contains("withheld") })
            #expect(try await harness.services.audit.all(AuditFilter(action: "bulk.operation")).count == 6)
        }
    }
}

/// Under an `Idempotency-Key` the outcome row is written with the stored response, in one commit
/// (`DeferredOutcomes`, `IdempotencyStore.complete(…auditing:)`): it is still there, once, before the answer.
@Suite("Outcome rows under an Idempotency-Key")
struct KeyedOutcomeRowTests {
    @Test(arguments: StoreBackend.allCases) func everyKeyedMutationHasItsIntentAndOutcomeRowsOnceAndAReplayAddsNone(backend: StoreBackend) async throws {
        let harness = try await GatewayHarness(backend: backend)
        do {
            let token = try await harness.login()
            let card = GatewayHarness.Seed.fundedEUR
            // A block (Weavr acts), a second block of the blocked card and an unblock: whatever Weavr answers,
            // each keyed request leaves an intent row and one outcome row with the status it answered.
            for (path, key) in [("block", "k1"), ("block", "k2"), ("unblock", "k3")] {
                let reply = try await harness.call("POST", "/v1/cards/\(card)/\(path)", token: token, headers: ["idempotency-key": key])
                let requestID = try #require(reply.headers["x-request-id"])
                let rows = try await harness.services.audit.all().filter { $0.requestID == requestID }
                #expect(rows.map(\.outcome).first == "intent", "\(path) \(key)")
                #expect(rows.count == 2, "\(path) \(key): \(rows.map(\.outcome))")
                #expect(rows.last.map { ["success", "failure"].contains($0.outcome) } == true)
                #expect(rows.last?.httpStatus == Int64(reply.status))
                // The replay answers from the stored response and writes nothing.
                let before = try await harness.services.audit.all().count
                let replay = try await harness.call("POST", "/v1/cards/\(card)/\(path)", token: token, headers: ["idempotency-key": key])
                #expect(replay.status == reply.status && replay.headers["idempotent-replayed"] == "true")
                #expect(try await harness.services.audit.all().count == before)
            }
            #expect(try await harness.services.audit.verify().ok)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }
}

/// An idempotency store whose combined write (stored response + outcome rows) fails: the guard must then store
/// the response alone and write the rows alone, so neither is lost.
final class RowRefusingIdempotencyStore: IdempotencyStore, @unchecked Sendable {
    let store: any IdempotencyStore
    private let refusals = Mutex(0)
    init(_ store: any IdempotencyStore) { self.store = store }
    var refused: Int { refusals.withLock { $0 } }

    func claim(_ scope: IdempotencyScope, fingerprint: [UInt8]) async throws -> IdempotencyClaim {
        try await store.claim(scope, fingerprint: fingerprint)
    }
    func complete(_ scope: IdempotencyScope, fingerprint: [UInt8], response: IdempotentResponse, auditing: [AuditEntry]) async throws {
        if !auditing.isEmpty {
            refusals.withLock { $0 += 1 }
            throw StorageError.full
        }
        try await store.complete(scope, fingerprint: fingerprint, response: response, auditing: [])
    }
    func release(_ scope: IdempotencyScope, fingerprint: [UInt8], auditing: [AuditEntry]) async throws {
        if !auditing.isEmpty {
            refusals.withLock { $0 += 1 }
            throw StorageError.full
        }
        try await store.release(scope, fingerprint: fingerprint, auditing: [])
    }
}

extension KeyedOutcomeRowTests {
    @Test func whenTheCombinedWriteFailsTheResponseAndTheOutcomeRowAreEachWrittenAlone() async throws {
        let harness = try await GatewayHarness()
        let store = RowRefusingIdempotencyStore(harness.services.idempotency)
        let server = try TestRouteServer(harness, idempotencyStore: store)
        do {
            let token = try await harness.login()
            let reply = try await server.call("POST", "/v1/test/audited", token: token, headers: ["idempotency-key": "alone"])
            #expect(reply.status == 200)
            #expect(store.refused == 1)
            let requestID = try #require(reply.headers["x-request-id"])
            let rows = try await harness.services.audit.all().filter { $0.requestID == requestID }
            #expect(rows.map(\.outcome) == ["intent", "success"])
            #expect(rows.last?.target == "test-1")
            // The response was stored on its own: the retry is a replay, and the handler ran once.
            let replay = try await server.call("POST", "/v1/test/audited", token: token, headers: ["idempotency-key": "alone"])
            #expect(replay.status == 200 && replay.headers["idempotent-replayed"] == "true")
            #expect(server.handlerRuns == 1)
            #expect(try await harness.services.audit.verify().ok)
        } catch {
            await server.shutdown()  // the harness too
            throw error
        }
        await server.shutdown()
    }
}

/// `GatewayServices.Settings.auditsMutations = false` exists only for `bench/audited-block-bench` (package access):
/// the same route with nothing around the Weavr calls — no rows, no Idempotency-Key handling.
@Suite("Unaudited benchmark build")
struct UnauditedBenchmarkBuildTests {
    @Test func aBlockAndUnblockRunWithoutRowsOrIdempotency() async throws {
        var settings = GatewayServices.Settings()
        settings.auditsMutations = false
        let harness = try await GatewayHarness(settings: settings)
        do {
            let token = try await harness.login()
            let card = GatewayHarness.Seed.fundedEUR
            let blocked = try await harness.call("POST", "/v1/cards/\(card)/block", token: token, headers: ["idempotency-key": "same"])
            #expect(blocked.status == 200)
            #expect(blocked.json["state"] as? String == "blocked")
            // The same key on another request: audited builds answer 422 (reuse); here it is not looked at.
            let unblocked = try await harness.call("POST", "/v1/cards/\(card)/unblock", token: token, headers: ["idempotency-key": "same"])
            #expect(unblocked.status == 200)
            let rows = try await harness.services.audit.all()
            #expect(!rows.contains { $0.action == "card.block" || $0.action == "card.unblock" })
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    @Test func auditingIsOnUnlessTheBenchmarkTurnsItOff() {
        #expect(GatewayServices.Settings().auditsMutations)
    }
}
