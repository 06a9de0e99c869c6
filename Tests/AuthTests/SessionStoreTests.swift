import TestSupport
import Foundation
import GatewayCore
import Storage
import Testing
@testable import Auth

struct SessionStoreTests {
    static let identity = WeavrIdentity(type: "corporates", id: "identity-1")

    @Test(arguments: StoreBackend.allCases) func createsASessionWithA128BitSidAndReadsItBack(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        try await fixture.addTenant("acme")
        let session = try await fixture.sessions.create(tenantID: "acme", userID: "user-1", identity: Self.identity, weavrToken: "weavr-token-1")
        #expect(session.sid.count == 32 && Hex.decode(session.sid)?.count == 16)
        #expect(session.idleExpiresAt == fixture.clock.now + SessionLifetime.maxIdleTimeout)
        #expect(try await fixture.sessions.get(sid: session.sid, tenantID: "acme") == session)
        #expect(try await fixture.sessions.weavrToken(sid: session.sid, tenantID: "acme") == "weavr-token-1")
        let other = try await fixture.sessions.create(tenantID: "acme", userID: "user-1", identity: Self.identity, weavrToken: "t")
        #expect(other.sid != session.sid)
    }

    @Test func idleTimeoutIsCappedAtWeavrsFiveMinutes() {
        #expect(SessionLifetime(idleTimeout: 3_600_000).idleTimeout == 300_000)
        #expect(SessionLifetime(idleTimeout: 60_000).idleTimeout == 60_000)
    }

    @Test(arguments: StoreBackend.allCases) func idleExpirySlidesOnTouchAndEndsTheSessionWhenIdle(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        try await fixture.addTenant("acme")
        let session = try await fixture.sessions.create(tenantID: "acme", userID: "u", identity: Self.identity, weavrToken: "t")
        for _ in 0..<5 {
            fixture.clock.advance(by: 299_000)
            let touched = try #require(try await fixture.sessions.touch(sid: session.sid, tenantID: "acme"))
            #expect(touched.lastSeenAt == fixture.clock.now && touched.idleExpiresAt == fixture.clock.now + 300_000)
        }
        fixture.clock.advance(by: 300_000)
        #expect(try await fixture.sessions.get(sid: session.sid, tenantID: "acme") == nil)
        #expect(try await fixture.sessions.touch(sid: session.sid, tenantID: "acme") == nil)
        #expect(try await fixture.sessions.weavrToken(sid: session.sid, tenantID: "acme") == nil)
    }

    @Test(arguments: StoreBackend.allCases) func touchNeverExtendsPastTheAbsoluteExpiry(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend, lifetime: SessionLifetime(idleTimeout: 300_000, absoluteLifetime: 600_000))
        try await fixture.addTenant("acme")
        let session = try await fixture.sessions.create(tenantID: "acme", userID: "u", identity: Self.identity, weavrToken: "t")
        fixture.clock.advance(by: 290_000)
        _ = try await fixture.sessions.touch(sid: session.sid, tenantID: "acme")
        fixture.clock.advance(by: 290_000)
        let last = try #require(try await fixture.sessions.touch(sid: session.sid, tenantID: "acme"))
        #expect(last.idleExpiresAt == session.absoluteExpiresAt)
        fixture.clock.advance(by: 20_000)
        #expect(try await fixture.sessions.get(sid: session.sid, tenantID: "acme") == nil)
        #expect(try await fixture.sessions.touch(sid: session.sid, tenantID: "acme") == nil)
    }

    @Test(arguments: StoreBackend.allCases) func revocationTakesEffectAtOnce(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        try await fixture.addTenant("acme")
        let a = try await fixture.sessions.create(tenantID: "acme", userID: "u", identity: Self.identity, weavrToken: "t")
        let b = try await fixture.sessions.create(tenantID: "acme", userID: "v", identity: Self.identity, weavrToken: "t")
        let c = try await fixture.sessions.create(tenantID: "acme", userID: "w", identity: Self.identity, weavrToken: "t")
        #expect(try await fixture.sessions.revoke(sid: a.sid, tenantID: "acme"))
        #expect(try await !fixture.sessions.revoke(sid: a.sid, tenantID: "acme"))
        #expect(try await fixture.sessions.get(sid: a.sid, tenantID: "acme") == nil)
        #expect(Set(try await fixture.sessions.list(tenantID: "acme").map(\.sid)) == [b.sid, c.sid])
        #expect(try await fixture.sessions.revokeAll(tenantID: "acme") == 2)
        #expect(try await fixture.sessions.list(tenantID: "acme").isEmpty)
        #expect(try await fixture.sessions.markSteppedUp(sid: b.sid, tenantID: "acme", weavrToken: nil) == nil)
    }

    @Test(arguments: StoreBackend.allCases) func stepUpIsRecordedAndMayReplaceTheWeavrToken(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        try await fixture.addTenant("acme")
        let session = try await fixture.sessions.create(tenantID: "acme", userID: "u", identity: Self.identity, weavrToken: "before")
        #expect(!session.isSteppedUp)
        fixture.clock.advance(by: 5_000)
        let stepped = try #require(try await fixture.sessions.markSteppedUp(sid: session.sid, tenantID: "acme", weavrToken: "after"))
        #expect(stepped.isSteppedUp && stepped.steppedUpAt == fixture.clock.now)
        #expect(try await fixture.sessions.weavrToken(sid: session.sid, tenantID: "acme") == "after")
    }

    @Test(arguments: StoreBackend.allCases) func sessionsAreIsolatedBetweenTenants(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        try await fixture.addTenant("acme")
        try await fixture.addTenant("globex")
        let a = try await fixture.sessions.create(tenantID: "acme", userID: "u", identity: Self.identity, weavrToken: "acme-token")
        let g = try await fixture.sessions.create(tenantID: "globex", userID: "u", identity: Self.identity, weavrToken: "globex-token")
        #expect(try await fixture.sessions.get(sid: a.sid, tenantID: "globex") == nil)
        #expect(try await fixture.sessions.touch(sid: a.sid, tenantID: "globex") == nil)
        #expect(try await fixture.sessions.weavrToken(sid: a.sid, tenantID: "globex") == nil)
        #expect(try await fixture.sessions.markSteppedUp(sid: a.sid, tenantID: "globex", weavrToken: "x") == nil)
        #expect(try await !fixture.sessions.revoke(sid: a.sid, tenantID: "globex"))
        #expect(try await fixture.sessions.list(tenantID: "globex").map(\.sid) == [g.sid])
        #expect(try await fixture.sessions.revokeAll(tenantID: "globex") == 1)
        #expect(try await fixture.sessions.get(sid: a.sid, tenantID: "acme") != nil)
        #expect(try await fixture.sessions.weavrToken(sid: a.sid, tenantID: "acme") == "acme-token")

        // A sealed token moved to another session's row does not open.
        try await fixture.database.write { connection in
            try connection.run(
                "UPDATE sessions SET weavr_token_sealed = (SELECT weavr_token_sealed FROM sessions WHERE sid = ?1), revoked_at = NULL WHERE sid = ?2",
                [.text(a.sid), .text(g.sid)]
            )
        }
        await #expect(throws: SecretBoxError.authenticationFailed) { try await fixture.sessions.weavrToken(sid: g.sid, tenantID: "globex") }
    }

    @Test(arguments: StoreBackend.allCases) func deletingATenantDeletesItsSessions(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        try await fixture.addTenant("acme")
        let session = try await fixture.sessions.create(tenantID: "acme", userID: "u", identity: Self.identity, weavrToken: "t")
        try await fixture.tenants.delete("acme")
        #expect(try await fixture.database.read { try $0.query("SELECT count(*) FROM sessions") }.first?[0] == .integer(0))
        #expect(try await fixture.sessions.get(sid: session.sid, tenantID: "acme") == nil)
    }

    @Test(arguments: StoreBackend.allCases) func purgeDeletesLongDeadSessions(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        try await fixture.addTenant("acme")
        let live = try await fixture.sessions.create(tenantID: "acme", userID: "u", identity: Self.identity, weavrToken: "t")
        let dead = try await fixture.sessions.create(tenantID: "acme", userID: "v", identity: Self.identity, weavrToken: "t")
        _ = try await fixture.sessions.revoke(sid: dead.sid, tenantID: "acme")
        fixture.clock.advance(by: 1)
        #expect(try await fixture.sessions.purge(before: fixture.clock.now) == 1)
        #expect(try await fixture.sessions.get(sid: live.sid, tenantID: "acme") != nil)
    }

    @Test func weavrTokensNeverAppearInTheDatabaseFilesOrInOutput() async throws {
        let fixture = try await AuthFixture()
        try await fixture.addTenant("acme")
        let token = "WEAVR-TOKEN-PLAINTEXT-\(UUID().uuidString)"
        let session = try await fixture.sessions.create(tenantID: "acme", userID: "user-77", identity: Self.identity, weavrToken: token)
        _ = try await fixture.sessions.markSteppedUp(sid: session.sid, tenantID: "acme", weavrToken: token + "-stepped")
        _ = try await fixture.sessions.touch(sid: session.sid, tenantID: "acme")
        let bytes = try fixture.fileBytes()
        #expect(bytes.contains("user-77"), "the scan sees plaintext columns")
        #expect(!bytes.contains("WEAVR-TOKEN-PLAINTEXT"))
        let listed = try await fixture.sessions.list(tenantID: "acme")
        let json = String(decoding: try JSONEncoder().encode(listed), as: UTF8.self)
        #expect(!json.contains("WEAVR-TOKEN") && !"\(listed)".contains("WEAVR-TOKEN"))
    }
}
