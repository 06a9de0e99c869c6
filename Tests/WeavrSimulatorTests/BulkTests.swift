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
        // 12 operations 250 ms apart: the bulk is still running when it is paused, even on a busy machine.
        try await withSimulator(configure: { $0.bulkOperationDelay = .milliseconds(250) }) { _, client async throws in
            let token = try await client.login()
            let ids = try await createCards(12, client: client, token: token)
            let bulk = try await submitBlock(ids, client: client, token: token)
            // A second bulk, run while the first is paused, shows how far a running bulk gets meanwhile.
            let witness = try await submitBlock(try await createCards(2, client: client, token: token), client: client, token: token)
            #expect(try await client.send("POST", "/bulks/\(bulk)/pause", token: token).errorCode == "INVALID_STATE")
            #expect(try await client.send("POST", "/bulks/\(bulk)/resume", token: token).errorCode == "INVALID_STATE")
            _ = try await client.send("POST", "/bulks/\(bulk)/execute", token: token, json: [String: Any]())
            #expect(try await client.send("POST", "/bulks/\(bulk)/execute", token: token, json: [String: Any]()).errorCode == "INVALID_STATE")
            #expect(try await client.send("POST", "/bulks/\(bulk)/pause", token: token).status == 204)
            #expect(try await status(bulk, client: client, token: token) == "PAUSED")
            let pausedCompleted = try await client.send("GET", "/bulks/\(bulk)/operations?status=COMPLETED", token: token).object["count"] as? Int ?? -1
            // A paused bulk does not progress. Its runner was due to run its next operation at most one delay after
            // the pause. The witness, executed after the pause, runs on the same event loop's timers one delay
            // apart: once it has completed (two operations and a last step, three delays after the pause) the
            // paused bulk would have run operations too, had it not stopped. Observable, not a guessed 150 ms.
            #expect(try await client.send("POST", "/bulks/\(witness)/execute", token: token, json: [String: Any]()).status == 204)
            #expect(try await eventually(timeout: 30) { try await status(witness, client: client, token: token) == "COMPLETED" })
            #expect(try await client.send("GET", "/bulks/\(bulk)/operations?status=COMPLETED", token: token).object["count"] as? Int == pausedCompleted)
            #expect(try await client.send("POST", "/bulks/\(bulk)/resume", token: token).status == 204)
            // Resumed: wait until it has made progress again (observable), then cancel the rest.
            let deadline = ContinuousClock.now + .seconds(30)
            while try await client.send("GET", "/bulks/\(bulk)/operations?status=COMPLETED", token: token).object["count"] as? Int ?? 0 <= pausedCompleted {
                guard ContinuousClock.now < deadline else { Issue.record("the resumed bulk made no progress"); break }
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(try await client.send("POST", "/bulks/\(bulk)/cancel", token: token).status == 204)
            #expect(try await status(bulk, client: client, token: token) == "CANCELLED")
            #expect(try await client.send("POST", "/bulks/\(bulk)/resume", token: token).errorCode == "INVALID_STATE")
            let operations = try await client.send("GET", "/bulks/\(bulk)/operations?status=CANCELLED", token: token).object["count"] as? Int ?? 0
            #expect(operations > 0)
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
