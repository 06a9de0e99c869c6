import Audit
import Auth
import Foundation
@testable import Gateway
import GatewayCore
import Storage
import Testing
import TestSupport

/// `SQLIdempotencyStore` on its own: claims, abandoned in-flight rows, expiry and purging.
@Suite("Idempotency store (SQLite and PostgreSQL)")
struct IdempotencyStoreTests {
    let scope = IdempotencyScope(tenantID: "acme", userID: "u1", key: "k")
    let fingerprint = [UInt8](repeating: 7, count: 32)

    func withStore(
        _ backend: StoreBackend, _ body: (SQLIdempotencyStore, ManualWallClock, Database) async throws -> Void
    ) async throws {
        let handle = try await backend.open(migrations: .gateway)
        let database = handle.database
        let clock = ManualWallClock()
        try await body(SQLIdempotencyStore(database: database, clock: clock), clock, database)
    }

    @Test(arguments: StoreBackend.allCases) func aClaimIsExclusiveUntilCompletedThenReplays(backend: StoreBackend) async throws {
        try await withStore(backend) { (store: SQLIdempotencyStore, _: ManualWallClock, _: Database) async throws in
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .acquired)
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .inFlight)
            #expect(try await store.claim(scope, fingerprint: [1]) == .keyReused)
            let stored = IdempotentResponse(status: 204, contentType: nil, location: nil, body: [])
            try await store.complete(scope, fingerprint: fingerprint, response: stored, auditing: [])
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .replay(stored))
        }
    }

    @Test(arguments: StoreBackend.allCases) func completeAndReleaseAppendTheirAuditRowsInTheSameWrite(backend: StoreBackend) async throws {
        try await withStore(backend) { (store: SQLIdempotencyStore, clock: ManualWallClock, database: Database) async throws in
            let log = SQLAuditLog(database: database, clock: clock)
            let row = AuditEntry(tenant: "acme", actor: "u1", action: .cardBlock, target: "card", outcome: .success, httpStatus: 200)
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .acquired)
            let stored = IdempotentResponse(status: 200, contentType: "application/json", location: nil, body: Array("{}".utf8))
            try await store.complete(scope, fingerprint: fingerprint, response: stored, auditing: [row])
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .replay(stored))
            let other = IdempotencyScope(tenantID: "acme", userID: "u1", key: "released")
            #expect(try await store.claim(other, fingerprint: fingerprint) == .acquired)
            var failed = row
            failed.outcome = .failure
            try await store.release(other, fingerprint: fingerprint, auditing: [failed])
            #expect(try await store.claim(other, fingerprint: fingerprint) == .acquired)
            #expect(try await log.query(AuditFilter(), limit: 10).records.map(\.outcome) == ["success", "failure"])
            #expect(try await log.verify().ok)
        }
    }

    @Test(arguments: StoreBackend.allCases) func concurrentClaimsAcquireOnce(backend: StoreBackend) async throws {
        try await withStore(backend) { (store: SQLIdempotencyStore, _: ManualWallClock, _: Database) async throws in
            let claims = try await withThrowingTaskGroup(of: IdempotencyClaim.self) { group in
                for _ in 0..<20 { group.addTask { try await store.claim(scope, fingerprint: fingerprint) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(claims.filter { $0 == .acquired }.count == 1)
            #expect(claims.filter { $0 == .inFlight }.count == 19)
        }
    }

    @Test(arguments: StoreBackend.allCases) func anAbandonedInFlightRowMayBeClaimedAgainAfter60Seconds(backend: StoreBackend) async throws {
        try await withStore(backend) { (store: SQLIdempotencyStore, clock: ManualWallClock, _: Database) async throws in
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .acquired)
            clock.advance(by: 59_000)
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .inFlight)
            clock.advance(by: 1_000)
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .acquired)
        }
    }

    @Test(arguments: StoreBackend.allCases) func releaseForgetsTheKey(backend: StoreBackend) async throws {
        try await withStore(backend) { (store: SQLIdempotencyStore, _: ManualWallClock, _: Database) async throws in
            #expect(try await store.claim(scope, fingerprint: fingerprint) == .acquired)
            try await store.release(scope, fingerprint: fingerprint, auditing: [])
            #expect(try await store.claim(scope, fingerprint: [9]) == .acquired)
        }
    }

    @Test(arguments: StoreBackend.allCases) func expiredRowsAreAbsentAndPurgedInBoundedBatches(backend: StoreBackend) async throws {
        try await withStore(backend) { (store: SQLIdempotencyStore, clock: ManualWallClock, database: Database) async throws in
            for index in 0..<50 {
                let other = IdempotencyScope(tenantID: "acme", userID: "u1", key: "k\(index)")
                #expect(try await store.claim(other, fingerprint: fingerprint) == .acquired)
                try await store.complete(other, fingerprint: fingerprint, response: IdempotentResponse(status: 200, contentType: nil, location: nil, body: [1]), auditing: [])
            }
            clock.advance(by: SQLIdempotencyStore.retention)
            #expect(try await store.claim(IdempotencyScope(tenantID: "acme", userID: "u1", key: "k0"), fingerprint: [2]) == .acquired)
            let left = try await database.read { try $0.query("SELECT count(*) FROM idempotency_keys")[0][0].int64Value }
            // 50 expired rows, one purge batch, and the fresh claim.
            #expect(left == Int64(50 - SQLIdempotencyStore.purgeBatch + 1))
        }
    }
}
