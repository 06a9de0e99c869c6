import Audit
import Auth
import Foundation
@testable import Gateway
import GatewayCore
import NIOFreeHTTP
import Testing
import TestSupport

/// `POST /v1/cards/{id}/reveal` end to end (docs/ARCHITECTURE.md, "Revealing card details"): off unless the
/// tenant opts in, stepped-up sessions only, Weavr's tokens only, a separate Weavr session that is logged out
/// at Weavr when it expires, the user's own Weavr token never leaving the server, every reveal audited.
@Suite struct CardRevealTests {
    typealias Seed = GatewayHarness.Seed

    /// The simulator answers `GET /managed_cards/{id}` to `token` directly (as Weavr's Secure UI would use it).
    func simulatorStatus(_ harness: GatewayHarness, token: String, card: String = Seed.fundedEUR) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.simulatorPort)/managed_cards/\(card)")
        request.headers.add("api-key", "sim-demo-api-key")
        request.headers.add("authorization", "Bearer \(token)")
        return try await harness.client.execute(request, timeout: .seconds(60)).status
    }

    /// Shorter than a session's idle timeout (5 min), so the user's session outlives its reveals in these tests.
    static var settings: GatewayServices.Settings {
        var settings = GatewayServices.Settings()
        settings.revealLifetime = .seconds(120)
        return settings
    }

    /// The user's own Weavr token, as the gateway keeps it (sealed) for the session.
    func userWeavrToken(_ harness: GatewayHarness) async throws -> String {
        let sessions = try await harness.services.sessions.list(tenantID: "acme")
        #expect(sessions.count == 1)
        return try await harness.services.sessions.weavrToken(sid: sessions[0].sid, tenantID: "acme") ?? ""
    }

    func enable(_ harness: GatewayHarness, quota: Int) async throws {
        _ = try await harness.services.tenants.update("acme", TenantUpdate(quotas: ["cards.reveal": quota]))
    }

    @Test func offUnlessTheTenantOptsInAndOnlyForASteppedUpSession() async throws {
        try await withGateway { harness in
            let steppedUp = try await harness.steppedUpLogin()
            let plain = try await harness.login()
            let before = harness.simulator.capturedRequests.count
            let off = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: steppedUp)
            #expect(off.status == 403 && off.code == "forbidden")
            #expect(off.json["detail"] as? String == "revealing card details is not enabled for this tenant (quota cards.reveal)")
            #expect(harness.simulator.capturedRequests.count == before, "nothing reaches Weavr")

            try await enable(harness, quota: 10)
            let refused = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: plain)
            #expect(refused.status == 403 && refused.code == "step_up_required")
            #expect(harness.simulator.capturedRequests.count == before)
            // A card of another identity is Weavr's 404, and the card id must be a Weavr id.
            #expect(try await harness.call("POST", "/v1/cards/\(Seed.globexCard)/reveal", token: steppedUp).status == 404)
            #expect(try await harness.call("POST", "/v1/cards/abc/reveal", token: steppedUp).status == 404)
            // The old `include` parameter of a card read is gone: any query is 422.
            #expect(try await harness.call("GET", "/v1/cards/\(Seed.fundedEUR)?include=sensitive", token: steppedUp).status == 422)
            // No reveal takes an Idempotency-Key: its answer is never stored.
            let keyed = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: steppedUp, headers: ["idempotency-key": "reveal-1"])
            #expect(keyed.status == 201)
            #expect(keyed.headers["idempotent-replayed"] == nil)
        }
    }

    @Test func aRevealIsASeparateWeavrSessionLoggedOutWhenItExpires() async throws {
        let clock = ManualWallClock.sameDayForHours()
        try await withGateway(clock: clock, settings: Self.settings) { harness in
            try await enable(harness, quota: 10)
            let token = try await harness.steppedUpLogin()
            let reply = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: token)
            #expect(reply.status == 201)
            #expect(reply.headers["cache-control"] == "no-store")
            let number = (reply.json["cardNumber"] as? [String: Any])?["token"] as? String ?? ""
            let cvv = (reply.json["cvv"] as? [String: Any])?["token"] as? String ?? ""
            let revealToken = reply.json["weavrUserToken"] as? String ?? ""
            // Weavr's tokens, never digits.
            #expect(!number.isEmpty && !number.contains(where: \.isNumber))
            #expect(!cvv.isEmpty && !cvv.contains(where: \.isNumber))
            #expect(reply.json["expiresAt"] as? String == Timestamp.iso8601(milliseconds: clock.now + 120_000))

            // The user's own Weavr token (what the gateway sent Weavr for the card) is not the one handed out.
            let userToken = try await userWeavrToken(harness)
            #expect(userToken.hasPrefix("simtok."))
            #expect(!revealToken.isEmpty && revealToken != userToken)
            #expect(!harness.transcript.withLock { $0.joined() }.contains(userToken), "the user's Weavr token never leaves")
            #expect(harness.weavrRequests("POST", "/access_token").count == 1)

            // The separate session works at Weavr until it expires …
            #expect(try await simulatorStatus(harness, token: revealToken) == 200)
            #expect(try await RevealReaper.pass(services: harness.services) == 0)
            #expect(try await simulatorStatus(harness, token: revealToken) == 200)
            // … then the gateway logs it out at Weavr; the user's own session lives on.
            clock.advance(by: 120_000)
            #expect(try await RevealReaper.pass(services: harness.services) == 1)
            #expect(try await simulatorStatus(harness, token: revealToken) == 401)
            #expect(harness.weavrRequests("POST", "/logout").count == 1)
            #expect(try await harness.call("GET", "/v1/cards/\(Seed.fundedEUR)", token: token).status == 200)
            #expect(try await RevealReaper.pass(services: harness.services) == 0)

            // One audit row per reveal (intent and outcome), naming the card; no token in any row.
            let rows = try await harness.services.audit.all(AuditFilter(action: "card.reveal"))
            #expect(rows.map(\.outcome) == ["intent", "success"])
            #expect(rows.allSatisfy { $0.target == Seed.fundedEUR })
            #expect(rows.last?.details.contains("\"weavr_session_status\":\"STEPPED_UP\"") == true)
            // (The CVV token is three letters: too short to scan for without matching hex by chance.)
            for secret in [number, revealToken, userToken] {
                #expect(!rows.contains { $0.allText.contains(secret) })
                #expect(!harness.accessLog.all.contains(secret))
            }
            // At rest the reveal token is sealed: its bytes are nowhere in the SQLite files.
            if harness.backend == .sqlite {
                #expect(!harness.databaseBytes().contains(bytes: Array(revealToken.utf8)))
            }
        }
    }

    @Test func openRevealsAndTheDailyQuotaAreLimited() async throws {
        let clock = ManualWallClock.sameDayForHours()
        try await withGateway(clock: clock, settings: Self.settings) { harness in
            try await enable(harness, quota: 5)
            let token = try await harness.steppedUpLogin()
            for _ in 0..<RevealRoutes.maxOpenPerUser {
                #expect(try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: token).status == 201)
            }
            let tooMany = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: token)
            #expect(tooMany.status == 429 && tooMany.code == "rate_limited")
            #expect(tooMany.headers["retry-after"] == "120")
            // Once they are logged out, reveals are possible again, up to the day's quota (5).
            clock.advance(by: 120_000)
            #expect(try await RevealReaper.pass(services: harness.services) == 3)
            #expect(try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: token).status == 201)
            #expect(try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: token).status == 201)
            let overQuota = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/reveal", token: token)
            #expect(overQuota.status == 429 && overQuota.code == "quota_exceeded")
            #expect(harness.weavrRequests("POST", "/access_token").count == 5)
        }
    }
}
