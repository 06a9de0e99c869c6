import Testing
import WeavrSimulator

struct IdempotencyTests {
    @Test func sameRefAndPayloadReplaysTheFirstAnswerWithoutRepeatingTheEffect() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let first = try await client.send("POST", "/managed_cards", token: token, headers: ["idempotency-ref": "ref-1"], json: Demo.cardRequest(tag: "idem"))
            let second = try await client.send("POST", "/managed_cards", token: token, headers: ["idempotency-ref": "ref-1"], json: Demo.cardRequest(tag: "idem"))
            #expect(first.status == 200)
            #expect(second.status == 200)
            #expect(first.object["id"] as? String == second.object["id"] as? String)
            #expect(try await client.send("GET", "/managed_cards?tag=idem", token: token).object["count"] as? Int == 1)

            let block1 = try await client.send("POST", "/managed_cards/\(Demo.emptyGBPCard)/block", token: token, headers: ["idempotency-ref": "b"])
            let block2 = try await client.send("POST", "/managed_cards/\(Demo.emptyGBPCard)/block", token: token, headers: ["idempotency-ref": "b"])
            #expect(block1.status == 204)
            #expect(block2.status == 204)  // not INSTRUMENT_ALREADY_BLOCKED: replayed
        }
    }

    @Test func sameRefWithAnotherPayloadIs409() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            _ = try await client.send("POST", "/managed_cards", token: token, headers: ["idempotency-ref": "ref-2"], json: Demo.cardRequest(name: "One"))
            let mismatch = try await client.send("POST", "/managed_cards", token: token, headers: ["idempotency-ref": "ref-2"], json: Demo.cardRequest(name: "Two"))
            #expect(mismatch.status == 409)
            #expect(mismatch.errorCode == "IDEMPOTENCY_REF_CONFLICT")
        }
    }

    @Test func refsAreForgottenAfter24Hours() async throws {
        let clock = ManualSimulatorClock()
        try await withSimulator(clock: clock) { _, client async throws in
            let token = try await client.login()
            _ = try await client.send("POST", "/managed_cards/\(Demo.emptyGBPCard)/block", token: token, headers: ["idempotency-ref": "old"])
            _ = try await client.send("POST", "/managed_cards/\(Demo.emptyGBPCard)/unblock", token: token)
            clock.advance(by: .seconds(86_401))
            let fresh = try await client.login()
            let again = try await client.send("POST", "/managed_cards/\(Demo.emptyGBPCard)/block", token: fresh, headers: ["idempotency-ref": "old"])
            #expect(again.status == 204)
            let state = try await client.send("GET", "/managed_cards/\(Demo.emptyGBPCard)", token: fresh).object["state"] as? [String: Any]
            #expect(state?["state"] as? String == "BLOCKED")
        }
    }
}
