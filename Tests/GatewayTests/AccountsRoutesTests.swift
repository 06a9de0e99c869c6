import Foundation
import Gateway
import NIOFreeHTTP
import Testing
import WeavrSimulator

/// `/v1/accounts` end to end: client → gateway → simulator, over real sockets.
@Suite("Accounts routes")
struct AccountsRoutesTests {
    typealias Seed = GatewayHarness.Seed

    func ids(_ reply: GatewayHarness.Reply) -> [String] {
        (reply.json["accounts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func listsAndReadsAccountsFlat() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        let all = try await gateway.call("GET", "/v1/accounts", token: token)
        #expect(all.status == 200)
        #expect(all.headers["cache-control"] == "no-store")
        #expect(Set(ids(all)) == [Seed.accountEUR, Seed.accountGBP])
        #expect(all.json["nextCursor"] is NSNull)
        let accounts = all.json["accounts"] as? [[String: Any]] ?? []
        for account in accounts {
            #expect(Set(account.keys) == ["id", "name", "currency", "state", "blockedReason", "destroyedReason", "balance", "createdAt"])
        }
        let eur = try #require(accounts.first { $0["id"] as? String == Seed.accountEUR })
        #expect(eur["name"] as? String == "Operating EUR")
        #expect(eur["currency"] as? String == "EUR")
        #expect(eur["state"] as? String == "active")
        #expect(eur["blockedReason"] is NSNull)
        #expect((eur["balance"] as? [String: Any])?["available"] as? Int == 500_000)
        #expect((eur["balance"] as? [String: Any])?["actual"] as? Int == 500_000)
        #expect((eur["createdAt"] as? String)?.hasSuffix("Z") == true)
        #expect(!all.text.contains("profileId"))

        let one = try await gateway.call("GET", "/v1/accounts/" + Seed.accountGBP, token: token)
        #expect(one.status == 200)
        #expect(one.json["name"] as? String == "Payroll GBP")
        #expect((one.json["balance"] as? [String: Any])?["available"] as? Int == 0)
        #expect(!one.text.contains("profileId"))
        #expect(try await gateway.call("GET", "/v1/accounts/999", token: token).code == "not_found")
        let before = gateway.simulator.capturedRequests.count
        #expect(try await gateway.call("GET", "/v1/accounts/abc", token: token).status == 404)
        #expect(gateway.simulator.capturedRequests.count == before)
        #expect(try await gateway.call("GET", "/v1/accounts").status == 401)
        await gateway.shutdown()
    }

    @Test func filtersAndPagesWithCursors() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        #expect(ids(try await gateway.call("GET", "/v1/accounts?currency=GBP", token: token)) == [Seed.accountGBP])
        #expect(ids(try await gateway.call("GET", "/v1/accounts?currency=USD", token: token)) == [])
        #expect(Set(ids(try await gateway.call("GET", "/v1/accounts?state=active", token: token))) == [Seed.accountEUR, Seed.accountGBP])
        #expect(ids(try await gateway.call("GET", "/v1/accounts?state=blocked,destroyed", token: token)) == [])

        let pages = try await gateway.collectPages("/v1/accounts?limit=1", key: "accounts", token: token)
        #expect(pages.pages == 2)
        #expect(Set(pages.items.compactMap { $0["id"] as? String }) == [Seed.accountEUR, Seed.accountGBP])
        // Filtered in the gateway: the cursor resumes the scan where it stopped, and a page may come back short.
        let filtered = try await gateway.collectPages("/v1/accounts?limit=1&currency=EUR", key: "accounts", token: token)
        #expect(filtered.items.compactMap { $0["id"] as? String } == [Seed.accountEUR])
        #expect(filtered.pages <= 2)
        let gbp = try await gateway.collectPages("/v1/accounts?limit=1&currency=GBP", key: "accounts", token: token)
        #expect(gbp.items.compactMap { $0["id"] as? String } == [Seed.accountGBP])
        #expect(gbp.pages == 1)

        let first = try await gateway.call("GET", "/v1/accounts?limit=1", token: token)
        let cursor = try #require(first.json["nextCursor"] as? String)
        #expect(try await gateway.call("GET", "/v1/accounts?limit=1&currency=EUR&cursor=" + cursor, token: token).invalidFieldNames == ["cursor"])
        #expect(try await gateway.call("GET", "/v1/cards?cursor=" + cursor, token: token).invalidFieldNames == ["cursor"])
        for (query, parameter) in [("limit=0", "limit"), ("limit=101", "limit"), ("cursor=nope", "cursor"), ("currency=gbp", "currency"), ("state=open", "state")] {
            let reply = try await gateway.call("GET", "/v1/accounts?" + query, token: token)
            #expect(reply.status == 422, "\(query)")
            #expect(reply.invalidFieldNames == [parameter], "\(query)")
        }
        await gateway.shutdown()
    }

    @Test func usersSeeOnlyTheirOwnIdentitysAccounts() async throws {
        let gateway = try await GatewayHarness()
        let carol = try await gateway.login(email: "carol@example.com", password: "Password3!")
        let dave = try await gateway.login(tenant: "globex", email: "dave@example.com", password: "Password4!")
        for token in [carol, dave] {
            #expect(ids(try await gateway.call("GET", "/v1/accounts", token: token)) == [])
            for account in [Seed.accountEUR, Seed.accountGBP] {
                let reply = try await gateway.call("GET", "/v1/accounts/" + account, token: token)
                #expect(reply.status == 404)
                #expect(reply.code == "not_found")
            }
        }
        await gateway.shutdown()
    }
}
