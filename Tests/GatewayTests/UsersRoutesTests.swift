import Foundation
import NIOFreeHTTP
import Testing
import Upstream
import WeavrSimulator
@testable import Gateway

/// `/v1/users` end to end: client → gateway → simulator, over real sockets.
@Suite("Users routes")
struct UsersRoutesTests {
    @Test func listsUsersFlatWithCursorPagination() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()

        let all = try await gateway.call("GET", "/v1/users", token: token)
        #expect(all.status == 200)
        let users = all.json["users"] as? [[String: Any]] ?? []
        #expect(users.compactMap { $0["email"] as? String } == ["alice@example.com", "bob@example.com"])
        #expect(all.json["nextCursor"] is NSNull)
        let alice = users.first ?? [:]
        #expect(Set(alice.keys) == ["id", "name", "surname", "email", "mobile", "dateOfBirth", "active", "roles"])
        #expect(alice["id"] as? String == "100000000000000101")
        #expect((alice["mobile"] as? [String: Any])?["countryCode"] as? String == "+44")
        #expect(alice["active"] as? Bool == true)
        #expect(!all.text.contains("identity"))

        let first = try await gateway.call("GET", "/v1/users?limit=1", token: token)
        #expect((first.json["users"] as? [[String: Any]])?.first?["email"] as? String == "alice@example.com")
        let cursor = try #require(first.json["nextCursor"] as? String)
        #expect(!cursor.contains("="))
        let second = try await gateway.call("GET", "/v1/users?limit=1&cursor=\(cursor)", token: token)
        #expect(second.status == 200)
        #expect((second.json["users"] as? [[String: Any]])?.first?["email"] as? String == "bob@example.com")
        #expect(second.json["nextCursor"] is NSNull)

        // Weavr saw offsets; the client never did.
        let offsets = gateway.simulator.capturedRequests.filter { $0.path == "/users" }.map { $0.query ?? "" }
        #expect(offsets.contains { $0.contains("offset=1") && $0.contains("limit=1") })
    }

    @Test(arguments: [
        "cursor=abc", "cursor=", "cursor=eyJ2IjoxLCJzIjoidXNlcnMiLCJvIjoxfQ==", "cursor=eyJ2IjoyLCJzIjoidXNlcnMiLCJvIjoxfQ",
        "cursor=eyJ2IjoxLCJzIjoiYnVsayIsIm8iOjF9", "cursor=eyJ2IjoxLCJzIjoidXNlcnMiLCJvIjotMX0", "cursor=eyJvIjoxLCJzIjoidXNlcnMiLCJ2IjoxfQ",
    ])
    func rejectsBadCursors(query: String) async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        let reply = try await gateway.call("GET", "/v1/users?\(query)", token: token)
        #expect(reply.status == 422)
        #expect(reply.code == "validation_failed")
        #expect(reply.invalidFieldNames == ["cursor"])
    }

    @Test func rejectsLimitsOutsideOneToHundred() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        for limit in ["0", "101", "-1", "ten", "1e2"] {
            let reply = try await gateway.call("GET", "/v1/users?limit=\(limit)", token: token)
            #expect(reply.status == 422, "limit=\(limit)")
            #expect(reply.invalidFieldNames == ["limit"])
        }
        #expect(try await gateway.call("GET", "/v1/users?limit=100", token: token).status == 200)
        #expect(try await gateway.call("GET", "/v1/users").status == 401)
    }

    @Test func createWithoutStepUpIsRefusedBeforeWeavr() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        gateway.simulator.clearCapturedRequests()
        let reply = try await gateway.call("POST", "/v1/users", token: token, json: ["name": "Eve", "surname": "New", "email": "eve@example.com"])
        #expect(reply.status == 403)
        #expect(reply.code == "step_up_required")
        #expect(!gateway.simulator.capturedRequests.contains { $0.method == "POST" && $0.path == "/users" })
    }

    @Test func createWithStepUpReturns201AndForwardsTheIdempotencyRef() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.steppedUpLogin()
        let reply = try await gateway.call("POST", "/v1/users", token: token, json: [
            "name": "Eve", "surname": "New", "email": "eve@example.com",
            "mobile": ["countryCode": "+44", "number": "7700900099"], "roles": ["card_assignee", "admin"],
        ], headers: ["idempotency-key": "create-eve-1"])
        #expect(reply.status == 201)
        let id = try #require(reply.json["id"] as? String)
        #expect(reply.headers["location"] == "/v1/users/\(id)")
        #expect(reply.json["email"] as? String == "eve@example.com")
        #expect(reply.json["roles"] as? [String] == ["card_assignee", "admin"])
        #expect((reply.json["mobile"] as? [String: Any])?["number"] as? String == "7700900099")
        #expect(reply.json["active"] as? Bool == true)

        let sent = try #require(gateway.simulator.capturedRequests.last { $0.method == "POST" && $0.path == "/users" })
        #expect(sent.headers.contains { $0.first == "idempotency-ref" })
        #expect(sent.body.contains("CARD_ASSIGNEE"))

        let list = try await gateway.call("GET", "/v1/users", token: token)
        #expect((list.json["users"] as? [[String: Any]])?.contains { $0["id"] as? String == id && ($0["mobile"] is [String: Any]) } == true)
        // A user made without a mobile has `mobile: null`.
        let plain = try await gateway.call("POST", "/v1/users", token: token, json: ["name": "Fay", "surname": "New", "email": "fay@example.com"])
        #expect(plain.status == 201)
        #expect(plain.json["mobile"] is NSNull)
        #expect(plain.json["roles"] as? [String] == [])
    }

    @Test func createValidatesWithPublicFieldNames() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.steppedUpLogin()
        gateway.simulator.clearCapturedRequests()
        let reply = try await gateway.call("POST", "/v1/users", token: token, json: [
            "name": "", "email": "not-an-email", "mobile": ["countryCode": "44", "number": "12ab"], "roles": ["ROOT"],
        ])
        #expect(reply.status == 422)
        #expect(reply.code == "validation_failed")
        #expect(Set(reply.invalidFieldNames) == ["name", "surname", "email", "mobile.countryCode", "mobile.number", "roles"])
        #expect(!gateway.simulator.capturedRequests.contains { $0.path == "/users" })

        let notJSON = try await gateway.call("POST", "/v1/users", token: token, headers: ["content-type": "text/plain"])
        #expect(notJSON.status == 415)
    }

    @Test func duplicateEmailIsAConflictWithWeavrsCode() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.steppedUpLogin()
        let reply = try await gateway.call("POST", "/v1/users", token: token, json: ["name": "Al", "surname": "Ice", "email": "ALICE@example.com"])
        #expect(reply.status == 409)
        #expect(reply.code == "conflict")
        #expect(reply.json["upstreamCode"] as? String == "EMAIL_NOT_UNIQUE")
    }

    @Test func invitesANewUserAndRefusesConsumedInvites() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.steppedUpLogin()
        let created = try await gateway.call("POST", "/v1/users", token: token, json: ["name": "Gus", "surname": "New", "email": "gus@example.com"])
        let id = try #require(created.json["id"] as? String)

        let invite = try await gateway.call("POST", "/v1/users/\(id)/invite", token: token, headers: ["idempotency-key": "invite-gus"])
        #expect(invite.status == 204)
        #expect(invite.body.isEmpty)
        #expect(gateway.simulator.capturedRequests.contains { $0.path == "/users/\(id)/invite" && $0.headers.contains { $0.first == "idempotency-ref" } })

        // Bob already has a password: Weavr says his invite was consumed.
        let consumed = try await gateway.call("POST", "/v1/users/100000000000000102/invite", token: token)
        #expect(consumed.status == 409)
        #expect(consumed.json["upstreamCode"] as? String == "INVITE_ALREADY_CONSUMED")

        #expect(try await gateway.call("POST", "/v1/users/999999/invite", token: token).status == 404)
        #expect(try await gateway.call("POST", "/v1/users/abc/invite", token: token).status == 404)
        // Another tenant's user is unknown here.
        #expect(try await gateway.call("POST", "/v1/users/200000000000000101/invite", token: token).status == 404)
    }

    @Test func cursorsRoundTripAndAreCanonical() throws {
        let cursor = PageCursor(list: "users", filters: "", offset: 40)
        #expect(PageCursor.decode(cursor.encoded, list: "users", filters: "") == cursor)
        #expect(PageCursor.decode(cursor.encoded, list: "bulk:1:operations:ALL", filters: "") == nil)
        // Same bytes, different text: the unused low bits of the last character must be zero (RFC 4648 §3.5).
        let text = PageCursor(list: "users", filters: "", offset: 4).encoded
        var tampered = Array(text.utf8)
        tampered[tampered.count - 1] ^= 1
        #expect(PageCursor.decode(String(decoding: tampered, as: UTF8.self), list: "users", filters: "") == nil)
        #expect(PageCursor.decode(text + "A", list: "users", filters: "") == nil)
        #expect(PageCursor.decode(PageCursor(list: "users", filters: "", offset: PageCursor.maxOffset + 1).encoded, list: "users", filters: "") == nil)
    }

    @Test func weavrFailuresOfAUserCreateMapToPublicProblems() {
        #expect(Problem.upstream(WeavrError(.forbidden(code: "STEP_UP_REQUIRED"), status: 403)).code == .stepUpRequired)
        #expect(Problem.upstream(WeavrError(.conflict(code: "EMAIL_NOT_UNIQUE"), status: 409)).upstreamCode == "EMAIL_NOT_UNIQUE")
        let fields = [WeavrInvalidField(fieldName: "mobile.number", error: "REGEX"), WeavrInvalidField(fieldName: "dateOfBirth.year", error: "RANGE")]
        let problem = UpstreamFieldNames.problem(fields, unknownAs: "body")
        #expect(problem.code == .validationFailed)
        #expect(problem.invalidFields.map(\.name) == ["mobile.number", "body"])
    }
}
