import Audit
import Foundation
@testable import Gateway
import GatewayCore
import NIOFreeHTTP
import Testing
import TestSupport

/// End to end: the simulator, pointed at the gateway's receiver, signs and sends Weavr's webhooks; a purchase at
/// the simulator reaches the card holder's `/v1/events` stream and a card block lands in the audit chain.
@Suite(.serialized)
struct SimulatorWebhookTests {
    /// The simulator's manual clock starts here; the gateway's clock agrees, so the timestamp window holds.
    static let start: Int64 = 1_735_689_600_000

    @Test func aSimulatedPurchaseStreamsAndACardBlockIsAudited() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            gateway.simulator.setWebhookURL("http://127.0.0.1:\(gateway.port)/webhooks/acme", apiKey: "sim-demo-api-key")
            let token = try await gateway.login()
            let stream = try gateway.openEventStream(token: token)
            try await stream.read(until: "retry: 2000")

            let bought = try await gateway.simulatorPost("/_simulator/purchases", ["cardId": Webhooks.aliceCard, "amount": 350, "merchantName": "Corner Coffee"])
            #expect(bought.status == 201)
            try await stream.read(until: #""merchantName":"Corner Coffee""#)
            #expect(stream.receivedText.contains(#""approved":true"#))
            #expect(stream.receivedText.contains(#""amount":{"currency":"EUR","amount":350}"#))

            // Settled at the simulator: a settlement event, audited (money moved).
            let paymentID = bought.json["id"] as? String ?? ""
            #expect(try await gateway.simulatorPost("/_simulator/purchases/\(paymentID)/settle").status == 200)
            try await stream.read(until: "event: card.settlement")

            // A block through the gateway: the gateway's own rows, then Weavr's state change in the same chain.
            #expect(try await gateway.call("POST", "/v1/cards/\(Webhooks.aliceCard)/block", token: token).status == 200)
            try await stream.read(until: #""event":"blocked""#)
            let rows = try await gateway.services.audit.all(AuditFilter(target: Webhooks.aliceCard))
            let actions = rows.map(\.action)
            #expect(actions.contains("card.block"))
            #expect(actions.contains("weavr.card.state_change"))
            #expect(actions.contains("weavr.card.settlement"))
            #expect(!actions.contains("weavr.card.authorisation"))  // approved: event log only
            #expect(rows.first { $0.action == "weavr.card.state_change" }?.actor == "weavr:system")
            #expect(try await gateway.services.audit.verify().ok)
            #expect(gateway.simulator.webhookCounts.failed == 0)
        }
    }

    @Test func aDeclinedPurchaseIsAuditedAndStreamsWithItsReason() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            gateway.simulator.setWebhookURL("http://127.0.0.1:\(gateway.port)/webhooks/acme", apiKey: "sim-demo-api-key")
            let token = try await gateway.login()
            let stream = try gateway.openEventStream(token: token)
            try await stream.read(until: "retry: 2000")
            #expect(try await gateway.simulatorPost("/_simulator/purchases", ["cardId": Webhooks.aliceCard, "amount": 99999999, "merchantName": "Yacht Dealer"]).status == 201)
            try await stream.read(until: #""merchantName":"Yacht Dealer""#)
            #expect(stream.receivedText.contains(#""approved":false,"declineReason":"#))
            try await waitUntil { try await gateway.services.audit.all().contains { $0.action == "weavr.card.authorisation" } }
        }
    }

    @Test func aWrongWebhookURLIsRetriedThenGivenUpWithoutBlockingTheSimulator() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            // The other tenant's URL: the signature (made with the demo programme's key) never verifies there.
            gateway.simulator.setWebhookURL("http://127.0.0.1:\(gateway.port)/webhooks/globex", apiKey: "sim-demo-api-key")
            let token = try await gateway.login()
            #expect(try await gateway.call("POST", "/v1/cards/\(Webhooks.aliceCard)/block", token: token).status == 200)
            try await waitUntil { gateway.simulator.webhookCounts.failed == 1 }
            #expect(try await gateway.webhookRowCounts().events == 0)
        }
    }
}
