import Foundation
@testable import Gateway
import NIOFreeHTTP
import Testing
import Upstream
import WeavrSimulator

/// `/v1/cards` end to end: client → gateway → simulator, over real sockets.
@Suite("Cards routes")
struct CardsRoutesTests {
    typealias Seed = GatewayHarness.Seed

    static let cardKeys: Set<String> = ["id", "name", "nameOnCard", "last4", "expiry", "state", "blockedReason", "destroyedReason", "type", "mode", "currency", "balance", "createdAt", "physical"]

    /// Weavr's `expiryMmyy` as `MM/YY`; anything but four digits is null.
    @Test(arguments: [("0929", "09/29"), ("1130", "11/30"), ("0000", "00/00"), ("929", nil), ("09290", nil), ("09a9", nil),
                      ("", nil), ("٠٩٢٩", nil)] as [(String, String?)])
    func expiryIsMonthSlashYear(weavr: String, expected: String?) {
        #expect(CardView.expiry(weavr) == expected)
    }

    func ids(_ reply: GatewayHarness.Reply) -> Set<String> {
        Set((reply.json["cards"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    }

    // MARK: list

    @Test func listsTheUsersCardsFlatAndFiltersByEveryParameter() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        let all = try await gateway.call("GET", "/v1/cards", token: token)
        #expect(all.status == 200)
        #expect(all.headers["cache-control"] == "no-store")
        #expect(ids(all) == Seed.alicesCards)
        #expect(all.json["nextCursor"] is NSNull)
        let cards = all.json["cards"] as? [[String: Any]] ?? []
        for card in cards { #expect(Set(card.keys) == Self.cardKeys) }
        let funded = try #require(cards.first { $0["id"] as? String == Seed.fundedEUR })
        #expect(funded["name"] as? String == "Travel card")
        #expect(funded["nameOnCard"] as? String == "Alice Admin")
        #expect(funded["state"] as? String == "active")
        #expect(funded["blockedReason"] is NSNull)
        #expect(funded["type"] as? String == "virtual")
        #expect(funded["mode"] as? String == "prepaid")
        #expect(funded["currency"] as? String == "EUR")
        #expect((funded["last4"] as? String)?.count == 4)
        let expiry = try #require(funded["expiry"] as? String)
        #expect(expiry.range(of: #"^(0[1-9]|1[0-2])/[0-9]{2}$"#, options: .regularExpression) != nil)
        let createdAt = try #require(funded["createdAt"] as? String)
        #expect(createdAt.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil)
        let balance = try #require(funded["balance"] as? [String: Any])
        #expect(balance["available"] as? Int == 2500)
        #expect(balance["actual"] as? Int == 2500)
        let debit = try #require(cards.first { $0["id"] as? String == Seed.debit })
        #expect(debit["mode"] as? String == "debit")
        #expect(debit["balance"] is NSNull)
        let system = try #require(cards.first { $0["id"] as? String == Seed.systemBlocked })
        #expect(system["state"] as? String == "blocked")
        #expect(system["blockedReason"] as? String == "system")
        #expect(!all.text.contains("profileId"))
        #expect(!all.text.contains("friendlyName"))

        let table: [(String, Set<String>)] = [
            ("state=blocked", [Seed.systemBlocked, Seed.userBlocked]),
            ("state=active", [Seed.fundedEUR, Seed.emptyGBP, Seed.debit]),
            ("state=destroyed", []),
            ("state=active,blocked", Seed.alicesCards),
            ("state=destroyed&state=blocked", [Seed.systemBlocked, Seed.userBlocked]),
            ("type=virtual", Seed.alicesCards),
            ("type=physical", []),
            ("mode=debit", [Seed.debit]),
            ("mode=prepaid", Seed.alicesCards.subtracting([Seed.debit])),
            ("currency=EUR", [Seed.fundedEUR, Seed.systemBlocked, Seed.debit]),
            ("currency=USD", [Seed.userBlocked]),
            ("name=Travel%20card", [Seed.fundedEUR]),
            ("name=Travel+card", [Seed.fundedEUR]),
            ("name=Travel", []),
            ("currency=EUR&state=active&mode=prepaid", [Seed.fundedEUR]),
        ]
        for (query, expected) in table {
            let reply = try await gateway.call("GET", "/v1/cards?" + query, token: token)
            #expect(reply.status == 200, "\(query)")
            #expect(ids(reply) == expected, "\(query)")
        }
        // The filters travel to Weavr in its own vocabulary.
        _ = try await gateway.call("GET", "/v1/cards?state=blocked&mode=debit&type=virtual", token: token)
        let query = gateway.weavrRequests("GET", "/managed_cards").last?.query ?? ""
        for part in ["state=BLOCKED", "mode=DEBIT_MODE", "type=VIRTUAL", "limit=20"] { #expect(query.contains(part), "\(query)") }
        await gateway.shutdown()
    }

    @Test func paginatesThroughNextCursorUntilExhausted() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        for index in 0..<12 {
            let created = try await gateway.createCard(token: token, name: "Bulk card \(index)", currency: index % 3 == 0 ? "GBP" : "EUR")
            #expect(created.status == 201)
        }
        let all = try await gateway.collectPages("/v1/cards?limit=5", key: "cards", token: token)
        #expect(all.pages == 4)  // 17 cards: 5 + 5 + 5 + 2
        let allIDs = all.items.compactMap { $0["id"] as? String }
        #expect(allIDs.count == 17)
        #expect(Set(allIDs).count == 17)
        #expect(Set(allIDs).isSuperset(of: Seed.alicesCards))

        let gbp = try await gateway.collectPages("/v1/cards?currency=GBP&limit=2", key: "cards", token: token)
        #expect(gbp.items.count == 5)  // the seeded one and 4 new
        #expect(gbp.pages == 3)
        #expect(gbp.items.allSatisfy { $0["currency"] as? String == "GBP" })

        let exact = try await gateway.collectPages("/v1/cards?state=active&limit=15", key: "cards", token: token)
        #expect(exact.items.count == 15)  // 3 seeded active + 12 new: one full page, no empty second one
        #expect(exact.pages == 1)

        // A cursor belongs to its list and its filters.
        let first = try await gateway.call("GET", "/v1/cards?limit=5", token: token)
        let cursor = try #require(first.json["nextCursor"] as? String)
        #expect(!cursor.contains("="))
        let second = try await gateway.call("GET", "/v1/cards?limit=5&cursor=" + cursor, token: token)
        #expect(second.status == 200)
        #expect(ids(second).isDisjoint(with: ids(first)))
        let otherFilters = try await gateway.call("GET", "/v1/cards?limit=5&currency=EUR&cursor=" + cursor, token: token)
        #expect(otherFilters.status == 422)
        #expect(otherFilters.invalidFieldNames == ["cursor"])
        let otherList = try await gateway.call("GET", "/v1/accounts?cursor=" + cursor, token: token)
        #expect(otherList.status == 422)
        #expect(otherList.invalidFieldNames == ["cursor"])
        await gateway.shutdown()
    }

    @Test func badCursorLimitAndFilterValuesAre422NamingTheParameter() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        func encoded(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        // The filter hash of an unfiltered list, read from a real cursor: forged cursors below differ in one thing each.
        let real = try await gateway.call("GET", "/v1/cards?limit=1", token: token)
        let realCursor = try #require(real.json["nextCursor"] as? String)
        let padded = realCursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            + String(repeating: "=", count: (4 - realCursor.count % 4) % 4)
        let payload = try #require(Data(base64Encoded: padded).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })
        let validFilters = try #require(payload["f"] as? String)
        #expect(payload["o"] as? Int == 1)
        #expect(payload["v"] as? Int == 1)
        let table: [(String, String)] = [
            ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"), ("limit=-1", "limit"), ("limit=5&limit=6", "limit"),
            ("cursor=", "cursor"), ("cursor=abc", "cursor"), ("cursor=%2F%2F%2F%2F", "cursor"),
            ("cursor=" + encoded("{\"v\":1,\"k\":\"cards\",\"o\":5}"), "cursor"),
            ("cursor=" + encoded("{\"v\":2,\"k\":\"cards\",\"f\":\"\(validFilters)\",\"o\":5}"), "cursor"),
            ("cursor=" + encoded("{\"v\":1,\"k\":\"cards\",\"f\":\"\(validFilters)\",\"o\":-5}"), "cursor"),
            ("cursor=" + encoded("{\"v\":1,\"k\":\"cards\",\"f\":\"\(validFilters)\",\"o\":5}") + "=", "cursor"),
            ("cursor=" + encoded("{\"v\":1, \"k\":\"cards\",\"f\":\"\(validFilters)\",\"o\":5}"), "cursor"),
            ("state=frozen", "state"), ("state=active,", "state"), ("state=ACTIVE", "state"),
            ("type=plastic", "type"), ("mode=credit", "mode"), ("mode=prepaid&mode=debit", "mode"),
            ("currency=eur", "currency"), ("currency=EURO", "currency"), ("currency=", "currency"),
            ("name=", "name"), ("name=" + String(repeating: "x", count: 51), "name"),
        ]
        for (query, parameter) in table {
            let reply = try await gateway.call("GET", "/v1/cards?" + query, token: token)
            #expect(reply.status == 422, "\(query)")
            #expect(reply.code == "validation_failed", "\(query)")
            #expect(reply.invalidFieldNames == [parameter], "\(query): \(reply.text)")
            #expect(reply.headers["content-type"] == "application/problem+json")
        }
        // The well-formed twin of the forged cursors above is accepted.
        let good = try await gateway.call("GET", "/v1/cards?cursor=" + encoded("{\"v\":1,\"k\":\"cards\",\"f\":\"\(validFilters)\",\"o\":4}"), token: token)
        #expect(good.status == 200)
        #expect(ids(good).count == 1)
        let several = try await gateway.call("GET", "/v1/cards?limit=0&state=x&type=y", token: token)
        #expect(several.invalidFieldNames == ["limit", "state", "type"])
        await gateway.shutdown()
    }

    // MARK: create

    @Test func createsACardWithTheTenantsProfileForItsCurrency() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        let eur = try await gateway.createCard(token: token, name: "Marketing", headers: ["idempotency-key": "create-1"])
        #expect(eur.status == 201)
        #expect(Set(eur.json.keys) == Self.cardKeys)
        let id = try #require(eur.json["id"] as? String)
        #expect(eur.headers["location"] == "/v1/cards/" + id)
        #expect(eur.json["name"] as? String == "Marketing")
        #expect(eur.json["state"] as? String == "active")
        #expect(eur.json["mode"] as? String == "prepaid")
        #expect(eur.json["currency"] as? String == "EUR")
        #expect((eur.json["balance"] as? [String: Any])?["available"] as? Int == 0)
        #expect(!eur.text.contains("profileId"))
        let gbp = try await gateway.createCard(token: token, currency: "GBP", extra: ["mode": "prepaid"])
        #expect(gbp.status == 201)
        #expect(gbp.json["currency"] as? String == "GBP")

        let sent = gateway.weavrRequests("POST", "/managed_cards")
        #expect(sent.count == 2)
        #expect(sent[0].json["profileId"] as? String == "101")
        #expect(sent[0].json["friendlyName"] as? String == "Marketing")
        #expect(sent[0].json["mode"] as? String == "PREPAID_MODE")
        #expect((sent[0].json["billingAddress"] as? [String: Any])?["addressLine1"] as? String == "1 Main Street")
        #expect(sent[0].headers["idempotency-ref"]?.count == 32)
        #expect(sent[1].json["profileId"] as? String == "102")
        #expect(sent[1].headers["idempotency-ref"] == nil)

        // No profile configured for the currency or mode: 422 naming currency, Weavr not asked.
        for extra: [String: Any] in [["currency": "JPY"], ["mode": "debit", "parentAccountId": Seed.accountEUR]] {
            let refused = try await gateway.createCard(token: token, extra: extra)
            #expect(refused.status == 422)
            #expect(refused.invalidFieldNames == ["currency"])
        }
        #expect(gateway.weavrRequests("POST", "/managed_cards").count == 2)
        // Globex's tenant picks its own profile.
        let dave = try await gateway.login(tenant: "globex", email: "dave@example.com", password: "Password4!")
        #expect(try await gateway.createCard(token: dave).status == 201)
        #expect(gateway.weavrRequests("POST", "/managed_cards").last?.json["profileId"] as? String == "901")
        #expect(try await gateway.createCard(token: dave, currency: "GBP").invalidFieldNames == ["currency"])
        await gateway.shutdown()
    }

    @Test func createValidationNamesPublicFieldsIncludingWeavrsOwnRefusals() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        let empty = try await gateway.call("POST", "/v1/cards", token: token, json: [String: Any]())
        #expect(empty.status == 422)
        #expect(empty.invalidFieldNames == ["name", "nameOnCard", "currency", "billingAddress"])

        let table: [([String: Any], Set<String>)] = [
            (["name": String(repeating: "n", count: 51)], ["name"]),
            (["name": ""], ["name"]),
            (["nameOnCard": String(repeating: "n", count: 28)], ["nameOnCard"]),
            (["name": 5], ["name"]),
            (["currency": "eur"], ["currency"]),
            (["mode": "credit"], ["mode"]),
            (["mode": "debit"], ["parentAccountId"]),
            (["mode": "debit", "parentAccountId": "acc-1"], ["parentAccountId"]),
            (["parentAccountId": Seed.accountEUR], ["parentAccountId"]),
            (["billingAddress": "London"], ["billingAddress"]),
            (["billingAddress": [String: Any]()], ["billingAddress.line1", "billingAddress.city", "billingAddress.postCode", "billingAddress.country"]),
            (["billingAddress": ["line1": "1 Main Street", "city": "London", "postCode": "N1", "country": "GBR"]], ["billingAddress.country"]),
            // Character rules are Weavr's: its 400 comes back under the public names.
            (["nameOnCard": "Alice <3"], ["nameOnCard"]),
            (["billingAddress": ["line1": "1 Main Street", "city": "London", "postCode": "N1#9", "country": "GB"]], ["billingAddress.postCode"]),
            (["billingAddress": ["line1": "1 Main Street", "city": "London", "postCode": "N1", "country": "gb"]], ["billingAddress.country"]),
        ]
        for (extra, names) in table {
            let reply = try await gateway.createCard(token: token, extra: extra)
            #expect(reply.status == 422, "\(extra)")
            #expect(reply.code == "validation_failed")
            #expect(reply.invalidFieldNames == names, "\(extra): \(reply.text)")
            for weavrName in ["friendlyName", "addressLine", "profileId", "parentManagedAccountId"] { #expect(!reply.text.contains(weavrName)) }
        }
        // The last three reached Weavr; the rest were refused at the gateway.
        #expect(gateway.weavrRequests("POST", "/managed_cards").count == 3)
        var notJSON = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(gateway.port)/v1/cards", headers: ["authorization": "Bearer \(token)", "content-type": "text/plain"], body: Array("{}".utf8))
        #expect(try await gateway.client.execute(notJSON).status == 415)
        notJSON.headers.replaceOrAdd("content-type", "application/json")
        notJSON.body = Array("[1]".utf8)
        #expect(try await gateway.client.execute(notJSON).status == 400)
        await gateway.shutdown()
    }

    @Test func weavrFieldNamesMapToPublicOnes() {
        let problem = UpstreamFieldNames.problem([
            WeavrInvalidField(fieldName: "friendlyName", error: "SIZE"),
            WeavrInvalidField(fieldName: "billingAddress.addressLine1", error: "REQUIRED"),
            WeavrInvalidField(fieldName: "billingAddress.addressLine2", error: "SIZE"),
            WeavrInvalidField(fieldName: "parentManagedAccountId", error: "REGEX"),
            WeavrInvalidField(fieldName: "profileId", error: "REQUIRED"),
            WeavrInvalidField(fieldName: "digitalWallets.walletsEnabled", error: "REQUIRED"),
        ])
        #expect(problem.code == .validationFailed)
        #expect(problem.invalidFields.map(\.name) == ["name", "billingAddress.line1", "billingAddress.line2", "parentAccountId", "currency"])
        #expect(problem.invalidFields[1].reason == "required")
        #expect(UpstreamFieldNames.problem([WeavrInvalidField(fieldName: "tag", error: "REGEX")]).code == .upstreamError)
    }

    // MARK: one card

    @Test func getPatchBlockUnblockAndDeleteMapWeavrAnswers() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        let path = "/v1/cards/" + Seed.emptyGBP
        let got = try await gateway.call("GET", path, token: token)
        #expect(got.status == 200)
        #expect(got.json["id"] as? String == Seed.emptyGBP)
        #expect(Set(got.json.keys) == Self.cardKeys)

        let renamed = try await gateway.call("PATCH", path, token: token, json: ["name": "Stationery", "billingAddress": GatewayHarness.billingAddress])
        #expect(renamed.status == 200)
        #expect(renamed.json["name"] as? String == "Stationery")
        #expect(renamed.json["nameOnCard"] as? String == "Bob Builder")
        #expect(gateway.weavrRequests("PATCH", "/managed_cards/" + Seed.emptyGBP).last?.json["friendlyName"] as? String == "Stationery")
        let nothing = try await gateway.call("PATCH", path, token: token, json: ["tag": "x"])
        #expect(nothing.status == 422)
        #expect(nothing.code == "validation_failed")
        #expect(try await gateway.call("PATCH", path, token: token, json: ["name": ""]).invalidFieldNames == ["name"])
        #expect(try await gateway.call("PATCH", path, token: token, json: ["billingAddress": ["line1": "x"]]).invalidFieldNames
            == ["billingAddress.city", "billingAddress.postCode", "billingAddress.country"])
        #expect(try await gateway.call("PATCH", path, token: token, json: ["nameOnCard": "Bob <b>"]).invalidFieldNames == ["nameOnCard"])

        let blocked = try await gateway.call("POST", path + "/block", token: token, headers: ["idempotency-key": "block-1"])
        #expect(blocked.status == 200)
        #expect(gateway.weavrRequests("POST", "/managed_cards/\(Seed.emptyGBP)/block").last?.headers["idempotency-ref"]?.count == 32)
        #expect(blocked.json["state"] as? String == "blocked")
        #expect(blocked.json["blockedReason"] as? String == "user")
        let again = try await gateway.call("POST", path + "/block", token: token)
        #expect(again.status == 409)
        #expect(again.code == "conflict")
        #expect(again.json["upstreamCode"] as? String == "INSTRUMENT_ALREADY_BLOCKED")
        let unblocked = try await gateway.call("POST", path + "/unblock", token: token)
        #expect(unblocked.status == 200)
        #expect(unblocked.json["state"] as? String == "active")
        #expect(unblocked.json["blockedReason"] is NSNull)
        #expect(try await gateway.call("POST", path + "/unblock", token: token).json["upstreamCode"] as? String == "INSTRUMENT_NOT_BLOCKED")
        let system = try await gateway.call("POST", "/v1/cards/\(Seed.systemBlocked)/unblock", token: token)
        #expect(system.status == 403)
        #expect(system.code == "forbidden")

        let funded = try await gateway.call("DELETE", "/v1/cards/" + Seed.fundedEUR, token: token)
        #expect(funded.status == 409)
        #expect(funded.json["upstreamCode"] as? String == "BALANCE_NOT_ZERO")
        let destroyed = try await gateway.call("DELETE", path, token: token, headers: ["idempotency-key": "delete-1"])
        #expect(destroyed.status == 204)
        #expect(gateway.weavrRequests("POST", "/managed_cards/\(Seed.emptyGBP)/remove").last?.headers["idempotency-ref"] == nil)  // Weavr declares none
        #expect(destroyed.body.isEmpty)
        #expect(try await gateway.call("GET", path, token: token).json["state"] as? String == "destroyed")
        #expect(try await gateway.call("DELETE", path, token: token).json["upstreamCode"] as? String == "INSTRUMENT_ALREADY_REMOVED")
        #expect(try await gateway.call("PATCH", path, token: token, json: ["name": "x"]).json["upstreamCode"] as? String == "INSTRUMENT_DESTROYED")

        // Unknown ids are Weavr's 404; ids that are not digits never reach Weavr.
        for (method, suffix) in [("GET", ""), ("PATCH", ""), ("POST", "/block"), ("POST", "/unblock"), ("DELETE", "")] {
            let unknown = try await gateway.call(method, "/v1/cards/999" + suffix, token: token, json: method == "PATCH" ? ["name": "x"] : nil)
            #expect(unknown.status == 404, "\(method) \(suffix)")
            #expect(unknown.code == "not_found")
        }
        let before = gateway.simulator.capturedRequests.count
        for id in ["abc", "12a", "-1", "%31%2F2", String(repeating: "1", count: 33)] {
            let reply = try await gateway.call("GET", "/v1/cards/" + id, token: token)
            #expect(reply.status == 404, "\(id)")
            #expect(try await gateway.call("POST", "/v1/cards/\(id)/block", token: token).status == 404)
        }
        #expect(gateway.simulator.capturedRequests.count == before)
        #expect(try await gateway.call("GET", "/v1/cards/" + Seed.fundedEUR).status == 401)
        await gateway.shutdown()
    }

    @Test func usersCannotReachCardsOfOtherTenantsOrIdentities() async throws {
        let gateway = try await GatewayHarness()
        let alice = try await gateway.login()
        let dave = try await gateway.login(tenant: "globex", email: "dave@example.com", password: "Password4!")
        let carol = try await gateway.login(email: "carol@example.com", password: "Password3!")
        for (token, card) in [(dave, Seed.fundedEUR), (dave, Seed.emptyGBP), (alice, Seed.carolsCard), (alice, Seed.globexCard), (carol, Seed.emptyGBP)] {
            for (method, suffix) in [("GET", ""), ("PATCH", ""), ("POST", "/block"), ("POST", "/unblock"), ("DELETE", "")] {
                let reply = try await gateway.call(method, "/v1/cards/\(card)\(suffix)", token: token, json: method == "PATCH" ? ["name": "mine now"] : nil)
                #expect(reply.status == 404, "\(method) \(card)\(suffix)")
                #expect(reply.code == "not_found")
            }
        }
        #expect(ids(try await gateway.call("GET", "/v1/cards", token: dave)) == [Seed.globexCard])
        #expect(ids(try await gateway.call("GET", "/v1/cards", token: carol)) == [Seed.carolsCard])
        // Nothing changed.
        let card = try await gateway.call("GET", "/v1/cards/" + Seed.emptyGBP, token: alice)
        #expect(card.json["state"] as? String == "active")
        #expect(card.json["name"] as? String == "Office supplies")
        await gateway.shutdown()
    }

    // MARK: upstream trouble, tracing, secrets

    @Test func weavrDownIs503AndWeavrSlowIs504WithRetryAfter() async throws {
        var settings = GatewayServices.Settings()
        settings.weavr.attemptTimeout = .milliseconds(200)
        settings.weavr.overallTimeout = .milliseconds(400)
        settings.weavr.retry.maxRetries = 0
        let gateway = try await GatewayHarness(settings: settings)
        let token = try await gateway.login()
        gateway.simulator.setFault(.status(503), for: "GET", path: "/managed_cards/{id}")
        let down = try await gateway.call("GET", "/v1/cards/" + Seed.fundedEUR, token: token)
        #expect(down.status == 503)
        #expect(down.code == "upstream_unavailable")
        #expect(down.headers["retry-after"] != nil)
        gateway.simulator.clearFaults()  // block reads the card first
        gateway.simulator.setFault(.status(500), for: "POST", path: "/managed_cards/{id}/block")
        let broken = try await gateway.call("POST", "/v1/cards/\(Seed.emptyGBP)/block", token: token)
        #expect(broken.status == 502)
        #expect(broken.code == "upstream_error")
        #expect(broken.headers["retry-after"] != nil)

        gateway.simulator.clearFaults()
        gateway.simulator.setFault(.latency(.seconds(1)), for: "GET", path: "/managed_cards")
        let slow = try await gateway.call("GET", "/v1/cards", token: token)
        #expect(slow.status == 504)
        #expect(slow.code == "upstream_timeout")
        #expect(slow.headers["retry-after"] != nil)
        gateway.simulator.clearFaults()
        // The session survives Weavr's trouble.
        #expect(try await gateway.call("GET", "/v1/cards/" + Seed.fundedEUR, token: token).status == 200)
        await gateway.shutdown()
    }

    @Test func theRequestIDReachesWeavrAndNoSecretIsAnswered() async throws {
        let gateway = try await GatewayHarness()
        let token = try await gateway.login()
        let traced = try await gateway.call("GET", "/v1/cards?state=active", token: token, headers: ["x-request-id": "cards-trace-1"])
        #expect(traced.status == 200)
        #expect(traced.headers["x-request-id"] == "cards-trace-1")
        #expect(gateway.weavrRequests("GET", "/managed_cards").last?.headers["x-request-id"] == "cards-trace-1")
        let created = try await gateway.createCard(token: token, headers: ["x-request-id": "cards-trace-2"])
        #expect(created.headers["x-request-id"] == "cards-trace-2")
        #expect(gateway.weavrRequests("POST", "/managed_cards").last?.headers["x-request-id"] == "cards-trace-2")
        let id = try #require(created.json["id"] as? String)
        for (method, suffix, requestID) in [("POST", "/block", "cards-trace-3"), ("POST", "/unblock", "cards-trace-4"), ("DELETE", "", "cards-trace-5")] {
            let reply = try await gateway.call(method, "/v1/cards/\(id)\(suffix)", token: token, headers: ["x-request-id": requestID])
            #expect(reply.headers["x-request-id"] == requestID)
            let path = "/managed_cards/\(id)" + (method == "DELETE" ? "/remove" : suffix)
            #expect(gateway.weavrRequests("POST", path).last?.headers["x-request-id"] == requestID)
        }
        let blocked = try await gateway.call("POST", "/v1/cards/\(Seed.userBlocked)/block", token: token, headers: ["x-request-id": "cards-trace-6"])
        #expect(blocked.status == 409)
        #expect(blocked.headers["x-request-id"] == "cards-trace-6")
        _ = try await gateway.call("GET", "/v1/accounts", token: token)
        _ = try await gateway.call("GET", "/v1/cards/" + Seed.debit, token: token)

        let everything = gateway.transcript.withLock { $0.joined(separator: "\n") }
        for secret in ["profileId", "sim-demo-api-key", "simtok.", "Password1!", "522093"] {
            #expect(!everything.contains(secret), "\(secret)")
        }
        #expect(!gateway.accessLog.all.contains("simtok."))
        await gateway.shutdown()
    }
}
