import Auth
import Foundation
import NIOFreeHTTP
import Testing
import Upstream
import WeavrSimulator
@testable import Gateway

/// `/v1/bulk/*` end to end: client → gateway → simulator (which runs bulk operations 5 ms apart).
@Suite("Bulk routes")
struct BulkRoutesTests {
    @Test func blockingCardsInBulkRunsToCompleted() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        let cards = try await gateway.createCards(5)
        gateway.simulator.clearCapturedRequests()

        let submit = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": cards], headers: ["idempotency-key": "block-5"])
        #expect(submit.status == 202)
        #expect(Set(submit.json.keys) == ["id", "status", "operationCount"])
        let id = try #require(submit.json["id"] as? String)
        #expect(submit.json["status"] as? String == "running")
        #expect(submit.json["operationCount"] as? Int == 5)
        #expect(submit.headers["location"] == "/v1/bulk/\(id)")

        // One submit (with the derived idempotency-ref) and one execute reached Weavr.
        let sent = gateway.simulator.capturedRequests
        let submitted = try #require(sent.first { $0.path == "/bulks/managed_cards/_id_/block" })
        #expect(submitted.headers.contains { $0.first == "idempotency-ref" })
        #expect(sent.contains { $0.path == "/bulks/\(id)/execute" })

        let bulk = try await gateway.waitForBulk(id, token: token)
        #expect(bulk["status"] as? String == "completed")
        #expect(bulk["type"] as? String == "card_block")
        #expect(bulk["operationCount"] as? Int == 5)
        let progress = try #require(bulk["progress"] as? [String: Int])
        #expect(progress == ["submitted": 0, "running": 0, "completed": 5, "failed": 0, "cancelled": 0])
        let startedAt = try #require(bulk["startedAt"] as? String)
        #expect(startedAt.hasSuffix("Z") && startedAt.contains("T"))
        #expect(bulk["finishedAt"] is String)

        let operations = try await gateway.bulkOperations(id, token: token, limit: 2)
        #expect(operations.compactMap { $0["target"] as? String } == cards)
        #expect(operations.compactMap { $0["sequence"] as? Int } == [1, 2, 3, 4, 5])
        #expect(operations.allSatisfy { $0["status"] as? String == "completed" && $0["error"] == nil })
        let raw = try await gateway.call("GET", "/v1/bulk/\(id)/operations", token: token)
        for leak in ["pathParams", "_id_", "requestPayload", "responsePayload", "/managed_cards", "offset", "operationId"] {
            #expect(!raw.text.contains(leak), "\(leak)")
        }

        let card = try await gateway.weavrCall("GET", "/managed_cards/\(cards[0])", token: try await gateway.weavrToken())
        #expect((card.json["state"] as? [String: Any])?["state"] as? String == "BLOCKED")
    }

    @Test func anAlreadyBlockedCardMakesItPartiallyCompleted() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        let fresh = try await gateway.createCards(2)
        let alreadyBlocked = "100000000000000304"
        let submit = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": [fresh[0], alreadyBlocked, fresh[1]]])
        let id = try #require(submit.json["id"] as? String)

        let bulk = try await gateway.waitForBulk(id, token: token)
        #expect(bulk["status"] as? String == "partially_completed")
        #expect((bulk["progress"] as? [String: Int])?["failed"] == 1)
        #expect((bulk["progress"] as? [String: Int])?["completed"] == 2)

        let operations = try await gateway.bulkOperations(id, token: token)
        let failed = try #require(operations.first { $0["target"] as? String == alreadyBlocked })
        #expect(failed["status"] as? String == "failed")
        #expect(failed["error"] as? [String: String] == ["code": "INSTRUMENT_ALREADY_BLOCKED"])
        let onlyFailed = try await gateway.call("GET", "/v1/bulk/\(id)/operations?status=failed", token: token)
        #expect((onlyFailed.json["operations"] as? [[String: Any]])?.count == 1)
        #expect(try await gateway.call("GET", "/v1/bulk/\(id)/operations?status=FAILED", token: token).invalidFieldNames == ["status"])
    }

    @Test func pauseResumeCancelAndInvalidTransitions() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        // 1,000 operations 5 ms apart: seconds of running time to steer (unknown cards just fail with 404).
        let ids = (0..<1_000).map { String(900_000_000_000 + $0) }
        let submit = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": ids])
        let id = try #require(submit.json["id"] as? String, "submit answered \(submit.status): \(submit.text)")

        let paused = try await gateway.call("POST", "/v1/bulk/\(id)/pause", token: token)
        #expect(paused.status == 200)
        #expect(paused.json["status"] as? String == "paused")
        let again = try await gateway.call("POST", "/v1/bulk/\(id)/pause", token: token)
        #expect(again.status == 409)
        #expect(again.code == "conflict")
        #expect(again.json["upstreamCode"] as? String == "INVALID_STATE")

        let resumed = try await gateway.call("POST", "/v1/bulk/\(id)/resume", token: token)
        #expect(resumed.status == 200)
        #expect(resumed.json["status"] as? String == "running")

        let cancelled = try await gateway.call("POST", "/v1/bulk/\(id)/cancel", token: token)
        #expect(cancelled.status == 200)
        #expect(cancelled.json["status"] as? String == "cancelled")
        let progress = try #require(cancelled.json["progress"] as? [String: Int])
        #expect(progress["cancelled", default: 0] > 0)
        #expect(progress.values.reduce(0, +) == 1_000)
        #expect(cancelled.json["finishedAt"] is String)

        let resumeCancelled = try await gateway.call("POST", "/v1/bulk/\(id)/resume", token: token)
        #expect(resumeCancelled.status == 409)
        #expect(resumeCancelled.json["upstreamCode"] as? String == "INVALID_STATE")

        // 1,000 operations in pages of 100 through the opaque cursor.
        let operations = try await gateway.bulkOperations(id, token: token, limit: 100)
        #expect(operations.count == 1_000)
        #expect(Set(operations.compactMap { $0["target"] as? String }) == Set(ids))
        #expect(operations.filter { $0["status"] as? String == "failed" }.allSatisfy { ($0["error"] as? [String: String])?["code"] == "NOT_FOUND" })
        // A cursor of this list means nothing for another list.
        let page = try await gateway.call("GET", "/v1/bulk/\(id)/operations?limit=1", token: token)
        let cursor = try #require(page.json["nextCursor"] as? String)
        #expect(try await gateway.call("GET", "/v1/users?cursor=\(cursor)", token: token).invalidFieldNames == ["cursor"])
        #expect(try await gateway.call("GET", "/v1/bulk/\(id)/operations?status=failed&cursor=\(cursor)", token: token).status == 422)
    }

    @Test func rejectsOversizedAndMalformedIdListsBeforeWeavr() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        gateway.simulator.clearCapturedRequests()

        let tooMany = (0..<10_001).map { String(100_000_000_000_000_000 + $0) }
        let big = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": tooMany])
        #expect(big.status == 422)
        #expect(big.invalidFieldNames == ["cardIds"])

        let cases: [(Any, [String])] = [
            ([String](), ["cardIds"]),
            (["12a", "7"], ["cardIds[0]"]),
            ([7], ["cardIds[0]"]),
            (["5", "5"], ["cardIds[1]"]),
            ("5", ["cardIds"]),
        ]
        for (value, names) in cases {
            let reply = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": value])
            #expect(reply.status == 422)
            #expect(reply.invalidFieldNames == Set(names))
        }
        #expect(try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: [String: Any]()).invalidFieldNames == ["cardIds"])
        #expect(try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": ["1"], "onFailure": "explode"]).invalidFieldNames == ["onFailure"])
        #expect(try await gateway.call("POST", "/v1/bulk/users/invites", token: token, json: ["userIds": ["x"]]).invalidFieldNames == ["userIds[0]"])

        // Over the route's 400 KiB cap: 413 before parsing.
        let huge = (0..<10_001).map { String(repeating: "1", count: 40) + String($0) }
        #expect(try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": huge]).status == 413)
        #expect(!gateway.simulator.capturedRequests.contains { $0.path.hasPrefix("/bulks") })
    }

    @Test func anotherTenantCannotSeeOrSteerTheBulk() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let acme = try await gateway.login()
        let globex = try await gateway.login(tenant: "globex", email: "dave@example.com", password: "Password4!")
        let submit = try await gateway.call("POST", "/v1/bulk/cards/block", token: acme, json: ["cardIds": ["100000000000000302"]])
        let id = try #require(submit.json["id"] as? String)

        for (method, path) in [("GET", "/v1/bulk/\(id)"), ("GET", "/v1/bulk/\(id)/operations"), ("POST", "/v1/bulk/\(id)/cancel")] {
            let reply = try await gateway.call(method, path, token: globex)
            #expect(reply.status == 404, "\(method) \(path)")
            #expect(reply.code == "not_found")
        }
        #expect(try await gateway.call("GET", "/v1/bulk/not%20an%20id", token: acme).status == 404)
        #expect(try await gateway.call("GET", "/v1/bulk/\(id)").status == 401)
        #expect(try await gateway.waitForBulk(id, token: acme)["status"] as? String == "completed")
    }

    @Test func bulkUsersNeedStepUpThenInvitesReachThem() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let plain = try await gateway.login(email: "bob@example.com", password: "Password2!")
        let refused = try await gateway.call("POST", "/v1/bulk/users", token: plain, json: ["users": [["name": "A", "surname": "B", "email": "a@example.com"]]])
        #expect(refused.status == 403)
        #expect(refused.code == "step_up_required")

        let token = try await gateway.steppedUpLogin()
        let invalid = try await gateway.call("POST", "/v1/bulk/users", token: token, json: ["users": [
            ["name": "Ok", "surname": "One", "email": "ok1@example.com"],
            ["name": "Bad", "surname": "Two", "email": "nope"],
            ["name": "Dup", "surname": "Three", "email": "OK1@example.com"],
            "not an object",
        ]])
        #expect(invalid.status == 422)
        #expect(invalid.invalidFieldNames == ["users[1].email", "users[2].email", "users[3]"])

        let users: [[String: Any]] = [
            ["name": "Hal", "surname": "Bulk", "email": "hal@example.com", "roles": ["card_assignee"]],
            ["name": "Ivy", "surname": "Bulk", "email": "ivy@example.com", "mobile": ["countryCode": "+44", "number": "7700900100"]],
            ["name": "Bob", "surname": "Again", "email": "bob@example.com"],
        ]
        let submit = try await gateway.call("POST", "/v1/bulk/users", token: token, json: ["users": users], headers: ["idempotency-key": "bulk-users-1"])
        #expect(submit.status == 202)
        #expect(submit.json["operationCount"] as? Int == 3)
        let id = try #require(submit.json["id"] as? String)
        let bulk = try await gateway.waitForBulk(id, token: token)
        #expect(bulk["status"] as? String == "partially_completed")
        #expect(bulk["type"] as? String == "user_create")
        let operations = try await gateway.bulkOperations(id, token: token)
        #expect(operations.map { $0["status"] as? String } == ["completed", "completed", "failed"])
        #expect((operations[2]["error"] as? [String: String])?["code"] == "EMAIL_NOT_UNIQUE")
        #expect(operations[2]["target"] is NSNull)
        let newIDs = operations.prefix(2).compactMap { $0["target"] as? String }
        #expect(newIDs.count == 2)

        let listed = try await gateway.call("GET", "/v1/users", token: token)
        let emails = (listed.json["users"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
        #expect(emails.contains("hal@example.com") && emails.contains("ivy@example.com"))

        let invites = try await gateway.call("POST", "/v1/bulk/users/invites", token: token, json: ["userIds": newIDs + ["100000000000000102"]])
        #expect(invites.status == 202)
        let inviteID = try #require(invites.json["id"] as? String)
        let inviteBulk = try await gateway.waitForBulk(inviteID, token: token)
        #expect(inviteBulk["status"] as? String == "partially_completed")
        #expect(inviteBulk["type"] as? String == "user_invite")
        let inviteOperations = try await gateway.bulkOperations(inviteID, token: token)
        #expect(inviteOperations.compactMap { $0["target"] as? String } == newIDs + ["100000000000000102"])
        #expect((inviteOperations[2]["error"] as? [String: String])?["code"] == "INVITE_ALREADY_CONSUMED")
    }

    @Test func retryingASubmitWithTheSameKeyDoesNotStartASecondBulk() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        let cards = try await gateway.createCards(2)
        let first = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": cards], headers: ["idempotency-key": "retry-me"])
        let second = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": cards], headers: ["idempotency-key": "retry-me"])
        #expect(first.status == 202)
        #expect(second.status == 202)
        #expect(first.json["id"] as? String == second.json["id"] as? String)
        let id = try #require(first.json["id"] as? String)
        #expect(try await gateway.waitForBulk(id, token: token)["status"] as? String == "completed")
    }

    @Test(arguments: [
        ("[3].pathParams._id_", "cardIds", "cardIds[3]"),
        ("[2].requestBody.email", "users", "users[2].email"),
        ("[2].requestBody.dateOfBirth", "users", "users[2]"),
        ("operations", "cardIds", "cardIds"),
        ("[x].pathParams", "userIds", "userIds"),
    ])
    func weavrItemFieldNamesBecomePublicNames(weavr: String, list: String, expected: String) {
        #expect(BulkSubmission.publicName(weavr, listName: list) == expected)
    }

    @Test func onlyWeavrCodesLeaveAFailedOperation() {
        #expect(BulkOperationView.errorCode(#"{"errorCode":"INSTRUMENT_ALREADY_BLOCKED"}"#) == "INSTRUMENT_ALREADY_BLOCKED")
        #expect(BulkOperationView.errorCode(#"{"code":"NOT_FOUND","message":"Card not found"}"#) == "NOT_FOUND")
        #expect(BulkOperationView.errorCode(#"{"syntaxErrors":{"invalidFields":[]}}"#) == "VALIDATION_FAILED")
        #expect(BulkOperationView.errorCode(#"{"errorCode":"password is hunter2"}"#) == "UNKNOWN")
        #expect(BulkOperationView.errorCode("") == "UNKNOWN")
        #expect(BulkOperationView.errorCode("not json") == "UNKNOWN")
    }
}
