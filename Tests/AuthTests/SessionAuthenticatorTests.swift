import Foundation
import Testing
@testable import Auth

struct SessionAuthenticatorTests {
    static let identity = WeavrIdentity(type: "consumers", id: "c-1")

    func rejection(_ authenticator: SessionAuthenticator, _ token: String, tenant: String, audience: String = "bearer") async throws -> SessionTokenRejection? {
        var reason: SessionTokenRejection?
        do {
            _ = try await authenticator.authenticate(token: token, audience: audience, tenantID: tenant) { reason = $0 }
            return nil
        } catch let error as SessionTokenError {
            #expect(error == .invalid)
            return reason
        }
    }

    @Test func acceptsALiveSessionAndRefusesItOnceRevokedOrExpired() async throws {
        let fixture = try await AuthFixture()
        try await fixture.addTenant("acme")
        let ring = try await fixture.keyRing()
        let authenticator = SessionAuthenticator(keyRing: ring, sessions: fixture.sessions, clock: fixture.clock)
        let session = try await fixture.sessions.create(tenantID: "acme", userID: "u1", identity: Self.identity, weavrToken: "t")
        let token = try authenticator.issueToken(for: session, audience: "bearer")
        #expect(try await rejection(authenticator, token, tenant: "acme") == nil)

        // Use slides the idle expiry.
        fixture.clock.advance(by: 200_000)
        #expect(try await rejection(authenticator, token, tenant: "acme") == nil)
        fixture.clock.advance(by: 200_000)
        #expect(try await rejection(authenticator, token, tenant: "acme") == nil)
        fixture.clock.advance(by: 301_000)
        #expect(try await rejection(authenticator, token, tenant: "acme") == .sessionNotLive)

        let second = try await fixture.sessions.create(tenantID: "acme", userID: "u1", identity: Self.identity, weavrToken: "t")
        let secondToken = try authenticator.issueToken(for: second, audience: "bearer")
        #expect(try await rejection(authenticator, secondToken, tenant: "acme") == nil)
        _ = try await fixture.sessions.revoke(sid: second.sid, tenantID: "acme")
        #expect(try await rejection(authenticator, secondToken, tenant: "acme") == .sessionNotLive)
    }

    @Test func anotherTenantsTokenIsInvalidAgainstTenantB() async throws {
        let fixture = try await AuthFixture()
        try await fixture.addTenant("acme")
        try await fixture.addTenant("globex")
        let ring = try await fixture.keyRing()
        let authenticator = SessionAuthenticator(keyRing: ring, sessions: fixture.sessions, clock: fixture.clock)
        let acmeSession = try await fixture.sessions.create(tenantID: "acme", userID: "u1", identity: Self.identity, weavrToken: "t")
        let globexSession = try await fixture.sessions.create(tenantID: "globex", userID: "u1", identity: Self.identity, weavrToken: "t")
        let acmeToken = try authenticator.issueToken(for: acmeSession, audience: "bearer")
        #expect(try await rejection(authenticator, acmeToken, tenant: "globex") == .wrongTenant)

        // A validly signed token claiming tenant acme but naming globex's session.
        let forged = try SessionToken.issue(
            SessionClaims(sid: globexSession.sid, tid: "acme", sub: "u1", aud: "bearer", iat: fixture.clock.now / 1000, exp: fixture.clock.now / 1000 + 60),
            keyRing: ring
        )
        #expect(try await rejection(authenticator, forged, tenant: "acme") == .sessionNotLive)
        // A token for another user of the same session id.
        let otherUser = try SessionToken.issue(
            SessionClaims(sid: acmeSession.sid, tid: "acme", sub: "u2", aud: "bearer", iat: fixture.clock.now / 1000, exp: fixture.clock.now / 1000 + 60),
            keyRing: ring
        )
        #expect(try await rejection(authenticator, otherUser, tenant: "acme") == .sessionNotLive)
        #expect(try await rejection(authenticator, acmeToken, tenant: "acme", audience: "cookie") == .wrongAudience)
    }
}
