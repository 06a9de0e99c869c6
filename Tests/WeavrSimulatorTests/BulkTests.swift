import Testing
import WeavrSimulator

struct BulkTests {
    func createCards(_ count: Int, client: TestClient, token: String) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let response = try await client.send("POST", "/managed_cards", token: token, json: Demo.cardRequest(name: "Bulk \(index)"))
            ids.append(try #require(response.object["id"] as? String))
        }
        return ids
    }

    func submitBlock(_ ids: [String], client: TestClient, token: String) async throws -> String {
        let response = try await client.send("POST", "/bulks/managed_cards/_id_/block", token: token, json: ids.map { ["pathParams": ["_id_": $0]] })
        #expect(response.status == 201)
        #expect(response.object["operationCount"] as? Int == ids.count)
        return try #require(response.object["bulkId"] as? String)
    }

    func status(_ bulk: String, client: TestClient, token: String) async throws -> String {
        try await client.send("GET", "/bulks/\(bulk)", token: token).object["status"] as? String ?? "?"
    }

    @Test func bulkBlockOfCardsCompletesAndReallyBlocksThem() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let ids = try await createCards(5, client: client, token: token)
            let bulk = try await submitBlock(ids, client: client, token: token)
            #expect(try await status(bulk, client: client, token: token) == "SUBMITTED")
            #expect(try await client.send("POST", "/bulks/\(bulk)/execute", token: token, json: [String: Any]()).status == 204)
            #expect(try await eventually { try await status(bulk, client: client, token: token) == "COMPLETED" })
            for id in ids {
                let state = try await client.send("GET", "/managed_cards/\(id)", token: token).object["state"] as? [String: Any]
                #expect(state?["state"] as? String == "BLOCKED")
            }
            let details = try await client.send("GET", "/bulks/\(bulk)", token: token).object
            let counts = details["operationStatusCounts"] as? [[String: Any]] ?? []
            #expect(counts.first { $0["status"] as? String == "COMPLETED" }?["count"] as? Int == 5)
            #expect(details["executionFinish"] is Int)
            let operations = try await client.send("GET", "/bulks/\(bulk)/operations", token: token).object
            #expect(operations["count"] as? Int == 5)
            let first = (operations["operations"] as? [[String: Any]])?.first
            #expect(first?["path"] as? String == "/managed_cards/\(ids[0])/block")
            #expect(first?["sequence"] as? Int == 1)
            #expect(try await client.send("GET", "/bulks?status=COMPLETED", token: token).object["count"] as? Int == 1)
        }
    }

    @Test func alreadyBlockedCardMakesTheBulkPartiallyCompleted() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let ids = try await createCards(3, client: client, token: token) + [Demo.systemBlockedCard]
            let bulk = try await submitBlock(ids, client: client, token: token)
            #expect(try await client.send("POST", "/bulks/\(bulk)/execute", token: token, json: ["mode": "ON_FAILURE_CONTINUE"]).status == 204)
            #expect(try await eventually { try await status(bulk, client: client, token: token) == "PARTIALLY_COMPLETED" })
            let failed = try await client.send("GET", "/bulks/\(bulk)/operations?status=FAILED", token: token).object["operations"] as? [[String: Any]]
            #expect(failed?.count == 1)
            #expect((failed?.first?["responsePayload"] as? String)?.contains("INSTRUMENT_ALREADY_BLOCKED") == true)
        }
    }

    @Test func allFailedIsFailedAndStopModeCancelsTheRest() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let failing = try await submitBlock([Demo.systemBlockedCard, Demo.carolCard], client: client, token: token)
            _ = try await client.send("POST", "/bulks/\(failing)/execute", token: token, json: [String: Any]())
            #expect(try await eventually { try await status(failing, client: client, token: token) == "FAILED" })

            let ids = try await createCards(2, client: client, token: token)
            let stopping = try await submitBlock([ids[0], Demo.systemBlockedCard, ids[1]], client: client, token: token)
            _ = try await client.send("POST", "/bulks/\(stopping)/execute", token: token, json: ["mode": "ON_FAILURE_STOP"])
            #expect(try await eventually { try await status(stopping, client: client, token: token) == "PARTIALLY_COMPLETED" })
            let last = try await client.send("GET", "/bulks/\(stopping)/operations?sequence=3", token: token).object["operations"] as? [[String: Any]]
            #expect(last?.first?["status"] as? String == "CANCELLED")
        }
    }

    @Test func pauseResumeAndCancelWithInvalidStateAnswers() async throws {
        // The test lets the bulk run one operation at a time, so nothing depends on how fast the machine is.
        let steps = BulkSteps()
        try await withSimulator(configure: { $0.bulkOperationGate = { _ in await steps.pass() } }) { _, client async throws in
            let token = try await client.login()
            let ids = try await createCards(12, client: client, token: token)
            let bulk = try await submitBlock(ids, client: client, token: token)
            func completed() async throws -> Int {
                try await client.send("GET", "/bulks/\(bulk)/operations?status=COMPLETED", token: token).object["count"] as? Int ?? -1
            }
            #expect(try await client.send("POST", "/bulks/\(bulk)/pause", token: token).errorCode == "INVALID_STATE")
            #expect(try await client.send("POST", "/bulks/\(bulk)/resume", token: token).errorCode == "INVALID_STATE")
            _ = try await client.send("POST", "/bulks/\(bulk)/execute", token: token, json: [String: Any]())
            #expect(try await client.send("POST", "/bulks/\(bulk)/execute", token: token, json: [String: Any]()).errorCode == "INVALID_STATE")
            await steps.allow(2)
            await steps.waitUntilPassed(2)
            #expect(try await eventually { try await completed() == 2 })
            #expect(try await client.send("POST", "/bulks/\(bulk)/pause", token: token).status == 204)
            #expect(try await status(bulk, client: client, token: token) == "PAUSED")
            // The runner, let through once more while paused, runs nothing.
            await steps.allow(1)
            await steps.waitUntilPassed(3)
            #expect(try await status(bulk, client: client, token: token) == "PAUSED")
            #expect(try await completed() == 2)
            #expect(try await client.send("POST", "/bulks/\(bulk)/resume", token: token).status == 204)
            await steps.allow(1)
            await steps.waitUntilPassed(4)
            #expect(try await eventually { try await completed() == 3 })
            #expect(try await client.send("POST", "/bulks/\(bulk)/cancel", token: token).status == 204)
            #expect(try await status(bulk, client: client, token: token) == "CANCELLED")
            #expect(try await client.send("POST", "/bulks/\(bulk)/resume", token: token).errorCode == "INVALID_STATE")
            #expect(try await client.send("GET", "/bulks/\(bulk)/operations?status=CANCELLED", token: token).object["count"] as? Int == 9)
            #expect(try await completed() == 3)
            await steps.allow(100)
        }
    }

    @Test func bulkUsersAndInvitesRunTheSingleOperations() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let users = try await client.send("POST", "/bulks/users", token: token, json: [
                ["pathParams": [String: Any](), "requestBody": ["name": "A", "surname": "One", "email": "a1@example.com"]],
                ["pathParams": [String: Any](), "requestBody": ["name": "B", "surname": "Two", "email": "alice@example.com"]],
            ])
            let bulk = try #require(users.object["bulkId"] as? String)
            _ = try await client.send("POST", "/bulks/\(bulk)/execute", token: token, json: [String: Any]())
            #expect(try await eventually { try await status(bulk, client: client, token: token) == "PARTIALLY_COMPLETED" })
            let invites = try await client.send("POST", "/bulks/users/_user_id_/invite", token: token, json: [["pathParams": ["_user_id_": Demo.bob]]])
            #expect(invites.status == 201)
        }
    }

    @Test func submitRejectsBadArrays() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            #expect(try await client.send("POST", "/bulks/managed_cards/_id_/block", token: token, json: [Any]()).status == 400)
            #expect(try await client.send("POST", "/bulks/managed_cards/_id_/block", token: token, json: [["pathParams": ["_id_": "abc"]]]).status == 400)
            #expect(try await client.send("GET", "/bulks/123", token: token).status == 404)
        }
    }
}

/// Lets bulk operations through one permit at a time, and counts those let through.
actor BulkSteps {
    private var permits = 0
    private var passed = 0
    private var blocked: [CheckedContinuation<Void, Never>] = []
    private var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func pass() async {
        if permits > 0 {
            permits -= 1
        } else {
            await withCheckedContinuation { blocked.append($0) }
        }
        passed += 1
        let ready = watchers.filter { $0.count <= passed }
        watchers.removeAll { $0.count <= passed }
        ready.forEach { $0.continuation.resume() }
    }

    func allow(_ count: Int) {
        for _ in 0..<count {
            if blocked.isEmpty { permits += 1 } else { blocked.removeFirst().resume() }
        }
    }

    func waitUntilPassed(_ count: Int) async {
        if passed >= count { return }
        await withCheckedContinuation { watchers.append((count, $0)) }
    }
}
