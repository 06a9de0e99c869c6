import Testing
import WeavrSimulator

struct PhysicalCardTests {
    static func path(_ card: String, _ action: String = "") -> String {
        "/managed_cards/\(card)/physical" + (action.isEmpty ? "" : "/" + action)
    }

    static func upgrade(activationCode: String? = "123456", method: String? = nil) -> [String: Any] {
        var body: [String: Any] = [
            "deliveryAddress": ["name": "Alice", "surname": "Admin", "addressLine1": "1 Main St", "city": "London", "postCode": "N1 1AA", "country": "GB"],
        ]
        if let activationCode { body["activationCode"] = activationCode }
        if let method { body["deliveryMethod"] = method }
        return body
    }

    static func details(_ response: TestResponse) -> [String: Any] {
        response.object["physicalCardDetails"] as? [String: Any] ?? [:]
    }

    static func coffee(_ card: String, channel: String = "chip_and_pin", amount: Int = 100) -> [String: Any] {
        ["cardId": card, "amount": amount, "currency": "EUR", "merchantName": "Coffee Shop", "merchantCategoryCode": "5814", "channel": channel]
    }

    @Test func upgradeActivatePinReportLostAndReplace() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let card = Demo.fundedCard
            let upgraded = try await client.send("POST", Self.path(card), token: token, json: Self.upgrade(method: "COURIER"))
            #expect(upgraded.status == 200, "\(upgraded.text)")
            #expect(upgraded.object["type"] as? String == "PHYSICAL" && upgraded.object["id"] as? String == card)
            var details = Self.details(upgraded)
            #expect(details["pendingActivation"] as? Bool == true && details["pinBlocked"] as? Bool == false)
            #expect(details["manufacturingState"] as? String == "REQUESTED" && details["deliveryMethod"] as? String == "COURIER")
            #expect((details["productReference"] as? String)?.isEmpty == false)
            #expect((details["deliveryAddress"] as? [String: Any])?["city"] as? String == "London")
            #expect(!upgraded.text.contains("123456"), "the activation code is never shown")
            #expect(try await client.send("GET", "/managed_cards?type=PHYSICAL", token: token).object["count"] as? Int == 1)

            // At a terminal the card is not yet usable; online it is.
            let terminal = try await client.admin("POST", "/_simulator/purchases", json: Self.coffee(card))
            #expect(terminal.object["declineReason"] as? String == "PHYSICAL_NOT_ACTIVATED")
            let online = try await client.admin("POST", "/_simulator/purchases", json: Self.coffee(card, channel: "ecommerce", amount: 500))
            #expect(online.object["status"] as? String == "SETTLEMENT_IN_PROGRESS")

            let early = try await client.send("GET", Self.path(card, "pin"), token: token)
            #expect(early.status == 409 && early.errorCode == "PHYSICAL_CARD_NOT_ACTIVATED")
            let wrong = try await client.send("POST", Self.path(card, "activate"), token: token, json: ["activationCode": "654321"])
            #expect(wrong.status == 409 && wrong.errorCode == "ACTIVATION_CODE_INVALID")
            let activated = try await client.send("POST", Self.path(card, "activate"), token: token, json: ["activationCode": "123456"])
            #expect(activated.status == 200)
            details = Self.details(activated)
            #expect(details["pendingActivation"] as? Bool == false && details["manufacturingState"] as? String == "DELIVERED")
            let twice = try await client.send("POST", Self.path(card, "activate"), token: token, json: ["activationCode": "123456"])
            #expect(twice.status == 409 && twice.errorCode == "INSTRUMENT_ALREADY_ACTIVATED")
            #expect(try await client.admin("POST", "/_simulator/purchases", json: Self.coffee(card)).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")

            let pin = try await client.send("GET", Self.path(card, "pin"), token: token)
            #expect(pin.status == 200)
            let value = try #require((pin.object["pin"] as? [String: Any])?["value"] as? String)
            #expect(value.count >= 4 && value.count <= 24 && !value.contains(where: \.isNumber), "\(value)")
            #expect((try await client.send("GET", Self.path(card, "pin"), token: token).object["pin"] as? [String: Any])?["value"] as? String == value)

            // Report lost: blocked, purchases declined, block/unblock and a damaged replacement refused.
            #expect(try await client.send("POST", Self.path(card, "report_lost"), token: token).status == 204)
            let lost = try await client.send("GET", "/managed_cards/\(card)", token: token)
            #expect((lost.object["state"] as? [String: Any])?["state"] as? String == "BLOCKED")
            #expect((lost.object["state"] as? [String: Any])?["blockedReason"] as? String == "LOST")
            #expect(try await client.admin("POST", "/_simulator/purchases", json: Self.coffee(card)).object["declineReason"] as? String == "CARD_STATUS_NOT_ALLOWED")
            for (action, code) in [("report_lost", "INSTRUMENT_ALREADY_MARKED_LOST"), ("report_stolen", "INSTRUMENT_ALREADY_MARKED_LOST")] {
                let again = try await client.send("POST", Self.path(card, action), token: token)
                #expect(again.status == 409 && again.errorCode == code, "\(action)")
            }
            #expect(try await client.send("POST", "/managed_cards/\(card)/unblock", token: token).errorCode == "INSTRUMENT_MARKED_LOST_STOLEN")
            #expect(try await client.send("POST", Self.path(card, "replace_damaged"), token: token, json: ["activationCode": "1"]).errorCode == "INSTRUMENT_MARKED_AS_LOST")
            #expect(try await client.send("GET", Self.path(card, "pin"), token: token).errorCode == "INSTRUMENT_BLOCKED")

            // Replace: a new card, pending activation with the new code; the old one destroyed; free funds move.
            #expect(try await client.send("POST", Self.path(card, "replace_lost_stolen"), token: token, json: [String: Any]()).status == 400)
            let replaced = try await client.send("POST", Self.path(card, "replace_lost_stolen"), token: token, json: ["activationCode": "4321"])
            #expect(replaced.status == 200, "\(replaced.text)")
            let newID = try #require(replaced.object["id"] as? String)
            #expect(newID != card && replaced.object["type"] as? String == "PHYSICAL")
            #expect((replaced.object["state"] as? [String: Any])?["state"] as? String == "ACTIVE")
            #expect(Self.details(replaced)["pendingActivation"] as? Bool == true)
            #expect(replaced.object["cardNumberLastFour"] as? String != nil && replaced.object["friendlyName"] as? String == "Travel card")
            // 2500 − 500 (online, held) − 100 (held): the 600 held stays with the old card.
            #expect(try await client.balances(Demo.card(newID), token: token) == Balances(available: 1900, actual: 1900))
            #expect(try await client.balances(Demo.card(card), token: token) == Balances(available: 0, actual: 600))
            let old = try await client.send("GET", "/managed_cards/\(card)", token: token)
            #expect((old.object["state"] as? [String: Any])?["state"] as? String == "DESTROYED")
            #expect((old.object["state"] as? [String: Any])?["destroyedReason"] as? String == "LOST")
            #expect((old.object["replacement"] as? [String: Any])?["id"] as? String == newID)
            #expect((old.object["replacement"] as? [String: Any])?["reason"] as? String == "LOST_STOLEN")
            let again = try await client.send("POST", Self.path(card, "replace_lost_stolen"), token: token, json: ["activationCode": "4321"])
            #expect(again.status == 409 && again.errorCode == "INSTRUMENT_ALREADY_REPLACED")
            #expect(try await client.send("POST", Self.path(newID, "activate"), token: token, json: ["activationCode": "123456"]).errorCode == "ACTIVATION_CODE_INVALID")
            #expect(try await client.send("POST", Self.path(newID, "activate"), token: token, json: ["activationCode": "4321"]).status == 200)
            #expect(try await client.admin("POST", "/_simulator/purchases", json: Self.coffee(newID)).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
        }
    }

    @Test func aStolenCardIsDestroyedAndCanBeReplaced() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let card = Demo.debitCard
            #expect(try await client.send("POST", Self.path(card), token: token, json: Self.upgrade(activationCode: nil)).status == 200)
            let early = try await client.send("POST", Self.path(card, "report_stolen"), token: token)
            #expect(early.status == 409 && early.errorCode == "PHYSICAL_CARD_NOT_ACTIVATED")
            // No code set at upgrade and none given: no check.
            #expect(try await client.send("POST", Self.path(card, "activate"), token: token, json: [String: Any]()).status == 200)
            let notLost = try await client.send("POST", Self.path(card, "replace_lost_stolen"), token: token, json: ["activationCode": "1"])
            #expect(notLost.status == 409 && notLost.errorCode == "INSTRUMENT_NOT_MARKED_LOST_OR_STOLEN")
            #expect(try await client.send("POST", Self.path(card, "report_stolen"), token: token).status == 204)
            let stolen = try await client.send("GET", "/managed_cards/\(card)", token: token)
            #expect((stolen.object["state"] as? [String: Any])?["state"] as? String == "DESTROYED")
            #expect((stolen.object["state"] as? [String: Any])?["destroyedReason"] as? String == "STOLEN")
            for action in ["report_stolen", "report_lost"] {
                let again = try await client.send("POST", Self.path(card, action), token: token)
                #expect(again.status == 409 && again.errorCode == "INSTRUMENT_ALREADY_MARKED_STOLEN", "\(action)")
            }
            #expect(try await client.send("POST", Self.path(card, "activate"), token: token, json: [String: Any]()).errorCode == "INSTRUMENT_DESTROYED")
            #expect(try await client.send("POST", Self.path(card, "replace_damaged"), token: token, json: ["activationCode": "1"]).errorCode == "INSTRUMENT_ALREADY_DESTROYED")
            let replaced = try await client.send("POST", Self.path(card, "replace_lost_stolen"), token: token, json: ["activationCode": "77"])
            #expect(replaced.status == 200)
            #expect(replaced.object["parentManagedAccountId"] as? String == Demo.eurAccount && replaced.object["mode"] as? String == "DEBIT_MODE")
        }
    }

    @Test func pinBlockUnblockAndDamagedReplacement() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let card = Demo.fundedCard
            #expect(try await client.send("POST", Self.path(card), token: token, json: Self.upgrade()).status == 200)
            #expect(try await client.send("PATCH", Self.path(card, "pin/unblock"), token: token).errorCode == "PHYSICAL_CARD_NOT_ACTIVATED")
            let damagedEarly = try await client.send("POST", Self.path(card, "replace_damaged"), token: token, json: ["activationCode": "11"])
            #expect(damagedEarly.status == 409 && damagedEarly.errorCode == "PHYSICAL_CARD_NOT_ACTIVATED")
            #expect(try await client.send("POST", Self.path(card, "activate"), token: token, json: ["activationCode": "123456"]).status == 200)

            #expect(try await client.admin("POST", "/_simulator/cards/\(card)/pin_block").status == 204)
            #expect(Self.details(try await client.send("GET", "/managed_cards/\(card)", token: token))["pinBlocked"] as? Bool == true)
            #expect(try await client.send("GET", Self.path(card, "pin"), token: token).errorCode == "PIN_TRIES_EXCEEDED")
            #expect(try await client.admin("POST", "/_simulator/purchases", json: Self.coffee(card)).object["declineReason"] as? String == "PIN_RETRIES_EXCEEDED")
            #expect(try await client.admin("POST", "/_simulator/purchases", json: Self.coffee(card, channel: "contactless")).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
            #expect(try await client.send("PATCH", Self.path(card, "pin/unblock"), token: token).status == 204)
            #expect(Self.details(try await client.send("GET", "/managed_cards/\(card)", token: token))["pinBlocked"] as? Bool == false)
            #expect(try await client.send("GET", Self.path(card, "pin"), token: token).status == 200)
            #expect(try await client.admin("POST", "/_simulator/cards/\(Demo.emptyGBPCard)/pin_block").status == 409)
            #expect(try await client.admin("POST", "/_simulator/cards/1/pin_block").status == 404)

            #expect(try await client.send("POST", Self.path(card, "replace_damaged"), token: token, json: [String: Any]()).status == 400)
            #expect(try await client.send("POST", Self.path(card, "replace_damaged"), token: token, json: ["activationCode": "2468"]).status == 204)
            let pending = Self.details(try await client.send("GET", "/managed_cards/\(card)", token: token))
            #expect(pending["manufacturingState"] as? String == "REQUESTED" && pending["pendingActivation"] as? Bool == false)
            let twice = try await client.send("POST", Self.path(card, "replace_damaged"), token: token, json: ["activationCode": "2468"])
            #expect(twice.status == 409 && twice.errorCode == "INSTRUMENT_ALREADY_PENDING_REPLACEMENT")
            #expect(try await client.send("POST", Self.path(card, "activate"), token: token, json: ["activationCode": "123456"]).errorCode == "ACTIVATION_CODE_INVALID")
            #expect(try await client.send("POST", Self.path(card, "activate"), token: token, json: ["activationCode": "2468"]).status == 200)
            #expect(try await client.send("POST", Self.path(card, "replace_damaged"), token: token, json: ["activationCode": "1"]).status == 204)
        }
    }

    @Test func virtualBlockedDestroyedAndForeignCardsAreRefused() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let virtual = Demo.emptyGBPCard
            for (method, action, body) in [
                ("POST", "activate", ["activationCode": "1"]), ("GET", "pin", nil), ("PATCH", "pin/unblock", nil),
                ("POST", "report_lost", nil), ("POST", "report_stolen", nil), ("POST", "replace_lost_stolen", ["activationCode": "1"]),
                ("POST", "replace_damaged", ["activationCode": "1"]),
            ] as [(String, String, [String: String]?)] {
                let response = try await client.send(method, Self.path(virtual, action), token: token, json: body)
                #expect(response.status == 409 && response.errorCode == "INSTRUMENT_NOT_PHYSICAL", "\(action)")
                #expect(try await client.send(method, Self.path(Demo.carolCard, action), token: token, json: body).status == 404, "\(action)")
            }
            #expect(try await client.send("POST", Self.path(Demo.carolCard), token: token, json: Self.upgrade()).status == 404)

            #expect(try await client.send("POST", Self.path(virtual), token: token, json: [String: Any]()).status == 400)
            #expect(try await client.send("POST", Self.path(virtual), token: token, json: Self.upgrade(activationCode: "12ab")).status == 400)
            #expect(try await client.send("POST", Self.path(virtual), token: token, json: Self.upgrade(method: "PIGEON")).status == 400)
            #expect(try await client.send("POST", Self.path(virtual), token: token, json: Self.upgrade()).status == 200)
            let twice = try await client.send("POST", Self.path(virtual), token: token, json: Self.upgrade())
            #expect(twice.status == 409 && twice.errorCode == "INSTRUMENT_ALREADY_UPGRADED_TO_PHYSICAL")
            #expect(try await client.send("POST", Self.path(Demo.userBlockedCard), token: token, json: Self.upgrade()).errorCode == "INSTRUMENT_BLOCKED")

            // A removed physical card.
            #expect(try await client.send("POST", "/managed_cards/\(virtual)/remove", token: token).status == 204)
            #expect(try await client.send("POST", Self.path(virtual), token: token, json: Self.upgrade()).errorCode == "INSTRUMENT_DESTROYED")
            for (method, action) in [("POST", "activate"), ("GET", "pin"), ("PATCH", "pin/unblock"), ("POST", "report_lost"), ("POST", "report_stolen")] {
                let response = try await client.send(method, Self.path(virtual, action), token: token, json: method == "POST" ? [String: Any]() : nil)
                #expect(response.status == 409 && response.errorCode == "INSTRUMENT_DESTROYED", "\(action)")
            }
            #expect(try await client.send("POST", Self.path(virtual, "replace_lost_stolen"), token: token, json: ["activationCode": "1"]).errorCode == "INSTRUMENT_DESTROYED")
        }
    }

    @Test func aSeededPhysicalCardIsActivatedAndDelivered() async throws {
        var seed = SimulatorSeed.demo
        seed.programmes[0].identities[0].managedCards?.append(
            SimulatorSeed.Card(id: "100000000000000399", profileId: "101", friendlyName: "Plastic", nameOnCard: "Alice Admin", type: "PHYSICAL", balance: 100)
        )
        try await withSimulator(seed: seed) { _, client async throws in
            let token = try await client.login()
            let card = try await client.send("GET", "/managed_cards/100000000000000399", token: token)
            let details = Self.details(card)
            #expect(card.object["type"] as? String == "PHYSICAL" && details["pendingActivation"] as? Bool == false)
            #expect(details["manufacturingState"] as? String == "DELIVERED")
            #expect((details["deliveryAddress"] as? [String: Any])?["surname"] as? String == "Admin")
            #expect(try await client.send("GET", Self.path("100000000000000399", "pin"), token: token).status == 200)
            #expect(try await client.admin("POST", "/_simulator/purchases", json: Self.coffee("100000000000000399")).object["status"] as? String == "SETTLEMENT_IN_PROGRESS")
        }
    }

    @Test func mutatingPhysicalOperationsAreIdempotentWithAnIdempotencyRef() async throws {
        try await withSimulator { simulator, client async throws in
            let token = try await client.login()
            let card = Demo.fundedCard
            let first = try await client.send("POST", Self.path(card), token: token, headers: ["idempotency-ref": "up-1"], json: Self.upgrade())
            let second = try await client.send("POST", Self.path(card), token: token, headers: ["idempotency-ref": "up-1"], json: Self.upgrade())
            #expect(first.status == 200 && second.status == 200 && first.body == second.body)
            for _ in 0..<2 {
                #expect(try await client.send("POST", Self.path(card, "activate"), token: token, headers: ["idempotency-ref": "act-1"], json: ["activationCode": "123456"]).status == 200)
                #expect(try await client.send("POST", Self.path(card, "report_lost"), token: token, headers: ["idempotency-ref": "lost-1"]).status == 204)
            }
            let replaced = try await client.send("POST", Self.path(card, "replace_lost_stolen"), token: token, headers: ["idempotency-ref": "rep-1"], json: ["activationCode": "9"])
            let replayed = try await client.send("POST", Self.path(card, "replace_lost_stolen"), token: token, headers: ["idempotency-ref": "rep-1"], json: ["activationCode": "9"])
            #expect(replaced.status == 200 && replayed.body == replaced.body)
            #expect(try await client.send("GET", "/managed_cards?type=PHYSICAL", token: token).object["count"] as? Int == 2)
            // The PIN a caller might send at upgrade never shows in the captured requests.
            _ = try await client.send("POST", Self.path(Demo.emptyGBPCard), token: token, json: Self.upgrade().merging(["pin": ["value": "4729"]]) { a, _ in a })
            #expect(!simulator.capturedRequests.contains { $0.body.contains("4729") })
        }
    }
}
