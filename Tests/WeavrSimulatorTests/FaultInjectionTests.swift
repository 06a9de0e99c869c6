import Testing
import WeavrSimulator

struct FaultInjectionTests {
    @Test func latencyDelaysTheAnswer() async throws {
        try await withSimulator { simulator, client async throws in
            simulator.setFault(.latency(.milliseconds(300)), for: "GET", path: "/managed_cards")
            let token = try await client.login()
            let response = try await client.send("GET", "/managed_cards", token: token)
            #expect(response.status == 200)
            #expect(response.elapsed >= 0.29)
        }
    }

    @Test func statusFaultAnswersWithoutEffect() async throws {
        try await withSimulator { simulator, client async throws in
            let token = try await client.login()
            simulator.setFault(.status(503), for: "POST", path: "/managed_cards/{id}/block")
            let response = try await client.send("POST", "/managed_cards/\(Demo.emptyGBPCard)/block", token: token)
            #expect(response.status == 503)
            #expect(response.body.isEmpty)
            #expect(response.headers["request-ref"] != nil)
            simulator.setFault(nil, for: "POST", path: "/managed_cards/{id}/block")
            #expect(try await client.send("POST", "/managed_cards/\(Demo.emptyGBPCard)/block", token: token).status == 204)
        }
    }

    @Test func errorRateIsDeterministicForASeed() async throws {
        func outcomes() async throws -> [Int] {
            try await withSimulator { simulator, client async throws in
                simulator.setFault(.status(500, rate: 0.5), for: "GET", path: "/managed_cards")
                var statuses: [Int] = []
                for _ in 0..<20 { statuses.append(try await client.send("GET", "/managed_cards").status) }
                return statuses
            }
        }
        let first = try await outcomes()
        #expect(first == (try await outcomes()))
        #expect(first.contains(500) && first.contains(401))
    }

    @Test func tooManyRequestsFaultHasRateLimitHeaders() async throws {
        try await withSimulator { simulator, client async throws in
            simulator.setFault(SimulatorFault(kind: .tooManyRequests), for: "*", path: "/managed_cards")
            let response = try await client.send("GET", "/managed_cards")
            #expect(response.status == 429)
            #expect(response.headers["x-ratelimit-limit"] != nil)
            #expect(response.headers["x-ratelimit-reset"] == "60")
        }
    }

    @Test func connectionResetIsAConnectionError() async throws {
        try await withSimulator { simulator, client async throws in
            simulator.setFault(SimulatorFault(kind: .connectionReset), for: "GET", path: "/managed_cards")
            await #expect(throws: TestClientError.self) { try await client.send("GET", "/managed_cards") }
        }
    }

    @Test func garbageBodyIsNotJSON() async throws {
        try await withSimulator { simulator, client async throws in
            simulator.setFault(SimulatorFault(kind: .garbageBody), for: "GET", path: "/managed_cards/{id}")
            let response = try await client.send("GET", "/managed_cards/\(Demo.fundedCard)")
            #expect(response.status == 200)
            #expect(response.json == nil)
        }
    }

    @Test func slowTrickleSpreadsTheBodyOverTime() async throws {
        try await withSimulator { simulator, client async throws in
            let token = try await client.login()
            simulator.setFault(SimulatorFault(kind: .slowTrickle(chunkBytes: 200, interval: .milliseconds(30))), for: "GET", path: "/managed_cards/{id}")
            let response = try await client.send("GET", "/managed_cards/\(Demo.fundedCard)", token: token)
            #expect(response.status == 200)
            #expect(response.object["id"] as? String == Demo.fundedCard)
            let chunks = (response.body.count + 199) / 200
            #expect(response.elapsed >= Double(chunks - 1) * 0.03 * 0.9)
            #expect(chunks >= 3)
        }
    }

    @Test func adminEndpointSetsListsAndClearsFaults() async throws {
        try await withSimulator { _, client async throws in
            var admin = client
            admin.apiKey = nil
            let set = try await admin.send("POST", "/_simulator/faults", json: ["method": "GET", "path": "/managed_accounts", "kind": "status", "status": 500])
            #expect(set.status == 204)
            #expect(try await client.send("GET", "/managed_accounts").status == 500)
            let listed = try await admin.send("GET", "/_simulator/faults").object["faults"] as? [[String: Any]]
            #expect(listed?.first?["status"] as? Int == 500)
            #expect(try await admin.send("DELETE", "/_simulator/faults").status == 204)
            #expect(try await client.send("GET", "/managed_accounts").status == 401)
        }
    }
}
