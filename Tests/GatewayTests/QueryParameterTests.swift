import Foundation
@testable import Gateway
import Testing
import Upstream

/// `/v1` reads take only the query parameters they document: anything else is 422 `validation_failed` naming
/// it, never silently ignored (an unfiltered list looks like a filtered one that matched everything).
/// Card and account reasons are closed, documented enums.
@Suite("Query parameters and closed enums")
struct QueryParameterTests {
    typealias Seed = GatewayHarness.Seed

    @Test func everyV1ReadRefusesAnUnknownQueryParameterByName() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        let submit = try await gateway.call("POST", "/v1/bulk/cards/block", token: token, json: ["cardIds": [Seed.emptyGBP]])
        let bulk = try #require(submit.json["id"] as? String)
        let reads = [
            "/v1/cards?blockedReason=x", "/v1/cards?state=blocked&blockedReason=x", "/v1/cards/\(Seed.fundedEUR)?blockedReason=x",
            "/v1/accounts?blockedReason=x", "/v1/accounts/\(Seed.accountEUR)?blockedReason=x", "/v1/users?blockedReason=x",
            "/v1/bulk/\(bulk)?blockedReason=x", "/v1/bulk/\(bulk)/operations?blockedReason=x",
        ]
        for path in reads {
            let reply = try await gateway.call("GET", path, token: token)
            #expect(reply.status == 422, "\(path)")
            #expect(reply.code == "validation_failed", "\(path)")
            #expect(reply.invalidFieldNames == ["blockedReason"], "\(path)")
        }
        // The documented ones still work, and a known one beside an unknown one is not enough.
        #expect(try await gateway.call("GET", "/v1/cards?state=blocked&limit=5", token: token).status == 200)
        #expect(try await gateway.call("GET", "/v1/users?limit=5", token: token).status == 200)
        #expect(try await gateway.call("GET", "/v1/bulk/\(bulk)/operations?status=completed&limit=5", token: token).status == 200)
    }

    @Test func blockedAndDestroyedReasonsAreLowerCaseAndClosed() {
        func reasons(_ state: ManagedInstrumentState) -> (Any?, Any?) {
            var json = JSONWriter()
            json.beginObject()
            InstrumentStateView.write(state, into: &json)
            json.endObject()
            let object = (try? JSONSerialization.jsonObject(with: Data(json.bytes))) as? [String: Any] ?? [:]
            return (object["blockedReason"], object["destroyedReason"])
        }
        #expect(reasons(.init(state: "BLOCKED", blockedReason: "USER")).0 as? String == "user")
        #expect(reasons(.init(state: "BLOCKED", blockedReason: "SINGLE_SPEND")).0 as? String == "single_spend")
        #expect(reasons(.init(state: "BLOCKED", blockedReason: "SOMETHING_NEW")).0 as? String == "other")
        #expect(reasons(.init(state: "DESTROYED", destroyedReason: "STOLEN")).1 as? String == "stolen")
        #expect(reasons(.init(state: "DESTROYED", destroyedReason: "<script>")).1 as? String == "other")
        #expect(reasons(.init(state: "ACTIVE", blockedReason: "USER", destroyedReason: "USER")).0 is NSNull)
        #expect(reasons(.init(state: "ACTIVE", blockedReason: "USER", destroyedReason: "USER")).1 is NSNull)
    }

    @Test func theDocumentListsExactlyTheReasonsServed() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let blocked = (schemas["BlockedReason"] as? [String: Any])?["enum"] as? [Any] ?? []
        let destroyed = (schemas["DestroyedReason"] as? [String: Any])?["enum"] as? [Any] ?? []
        #expect(blocked.compactMap { $0 as? String } == ["user", "system", "lost", "single_spend", "other"])
        #expect(destroyed.compactMap { $0 as? String } == ["user", "system", "lost", "stolen", "expired", "compromised", "single_spend", "other"])
        #expect(blocked.contains { $0 is NSNull } && destroyed.contains { $0 is NSNull })
    }

    @Test func aDestroyedCardSaysWhyOverTheWire() async throws {
        let gateway = try await GatewayHarness()
        defer { Task { await gateway.shutdown() } }
        let token = try await gateway.login()
        #expect(try await gateway.call("DELETE", "/v1/cards/\(Seed.emptyGBP)", token: token).status == 204)
        let destroyed = try await gateway.call("GET", "/v1/cards/\(Seed.emptyGBP)", token: token)
        #expect(destroyed.json["state"] as? String == "destroyed")
        #expect(destroyed.json["destroyedReason"] as? String == "user")
        #expect(destroyed.json["blockedReason"] is NSNull)
        let system = try await gateway.call("GET", "/v1/cards/\(Seed.systemBlocked)", token: token)
        #expect(system.json["blockedReason"] as? String == "system")
        #expect(system.json["destroyedReason"] is NSNull)
    }
}
