import Audit
import Foundation
@testable import Gateway
import GatewayCore
import Storage
import Testing
import TestSupport

/// `signature-v2` exactly as Weavr documents it, against vectors computed outside this code (Python's `hmac`).
struct WebhookSignatureTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var callRef: String
        var body: [UInt8]
        var signature: String
        var testDescription: String
    }

    static let vectors = [
        Vector(callRef: "ref-1", body: Array(#"{"a":1}"#.utf8), signature: "Hpk1oRm8JcPuqiJUq33vnEE5poeey6Mxdgzi6eFfKgk=", testDescription: "compact JSON"),
        Vector(callRef: "ref-1", body: Array(#"{"a": 1}"#.utf8), signature: "0xY0TPth1Vc8+or7NfUmCUbYFtrU7FvEGAPHWK7Qk50=", testDescription: "one space more"),
        Vector(callRef: "ref-1", body: Array(#"{"merchantName":"Café Zoë ☕"}"#.utf8), signature: "/BtnIZpTiynCt/cGOvO6kH+TFq1PZpLn77b3ndWpLCc=", testDescription: "UTF-8 body"),
        Vector(callRef: "", body: Array("{\"a\":1}\n".utf8), signature: "w1qFO7Nl1KZKC5WBTbQOFBzYdQ7PwLXkM/dN89iNars=", testDescription: "no call-ref, trailing newline"),
    ]

    @Test(arguments: vectors)
    func signsAndVerifiesTheRawBytes(_ vector: Vector) {
        let timestamp = "1764600000000"
        #expect(WeavrWebhookSignature.sign(apiKey: "sim-demo-api-key", callRef: vector.callRef, body: vector.body, publishedTimestamp: timestamp) == vector.signature)
        #expect(WeavrWebhookSignature.verify(signature: vector.signature, apiKey: "sim-demo-api-key", callRef: vector.callRef, body: vector.body, publishedTimestamp: timestamp))
        // Any other byte sequence, key or header fails.
        #expect(!WeavrWebhookSignature.verify(signature: vector.signature, apiKey: "sim-demo-api-key", callRef: vector.callRef, body: vector.body + [0x20], publishedTimestamp: timestamp))
        #expect(!WeavrWebhookSignature.verify(signature: vector.signature, apiKey: "sim-other-api-key", callRef: vector.callRef, body: vector.body, publishedTimestamp: timestamp))
        #expect(!WeavrWebhookSignature.verify(signature: vector.signature, apiKey: "sim-demo-api-key", callRef: vector.callRef + "x", body: vector.body, publishedTimestamp: timestamp))
        #expect(!WeavrWebhookSignature.verify(signature: vector.signature, apiKey: "sim-demo-api-key", callRef: vector.callRef, body: vector.body, publishedTimestamp: "1764600000001"))
        #expect(!WeavrWebhookSignature.verify(signature: String(vector.signature.dropLast()), apiKey: "sim-demo-api-key", callRef: vector.callRef, body: vector.body, publishedTimestamp: timestamp))
    }

    @Test func theNFCAndNFDFormsOfOneTextAreDifferentBytesAndSignDifferently() {
        let composed = Array("{\"n\":\"Zo\u{00EB}\"}".utf8)
        let decomposed = Array("{\"n\":\"Zoe\u{0308}\"}".utf8)
        #expect(composed != decomposed)
        let a = WeavrWebhookSignature.sign(apiKey: "k", callRef: "r", body: composed, publishedTimestamp: "1")
        #expect(!WeavrWebhookSignature.verify(signature: a, apiKey: "k", callRef: "r", body: decomposed, publishedTimestamp: "1"))
    }
}

@Suite(.serialized)
struct WebhookReceiverTests {
    static let start: Int64 = 1_764_600_000_000

    @Test func aSignedCardStateChangeIsLoggedAndAuditedOnTheCard() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            let delivery = Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), callRef: "cr-state-1", timestamp: Self.start)
            let reply = try await gateway.post(delivery)
            #expect(reply.status == 204)
            #expect(reply.body.isEmpty)
            let counts = try await gateway.webhookRowCounts()
            #expect(counts.receipts == 1 && counts.events == 1)
            let rows = try await gateway.services.audit.all().filter { $0.action == "weavr.card.state_change" }
            #expect(rows.count == 1)
            #expect(rows.first?.actor == "weavr:system")
            #expect(rows.first?.target == Webhooks.aliceCard)
            #expect(rows.first?.tenant == "acme")
            #expect(rows.first?.upstreamRequestRef == "cr-state-1")
            #expect(rows.first?.details.contains(#""blockedReason":"system""#) == true)
            #expect(try await gateway.services.audit.verify().ok)
        }
    }

    @Test func aBadSignatureIs401AndNothingIsStored() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            let good = Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: Self.start)
            var spaced = good
            spaced.body = Array(Webhooks.stateChange().replacingOccurrences(of: ",", with: ", ").utf8)
            var otherKey = good
            otherKey.signature = Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), callRef: good.callRef,
                                                 timestamp: Self.start, apiKey: GatewayHarness.otherAPIKey).signature
            for delivery in [spaced, otherKey] {
                let reply = try await gateway.post(delivery)
                #expect(reply.status == 401)
                #expect(reply.code == "webhook_signature_invalid")
                #expect(reply.headers["content-type"] == "application/problem+json")
            }
            let forged = try await gateway.post(good, signature: "AAAA" + String(good.signature.dropFirst(4)))
            #expect(forged.status == 401)
            let missing = try await gateway.post(good, signature: "")
            #expect(missing.status == 401)
            let counts = try await gateway.webhookRowCounts()
            #expect(counts.receipts == 0 && counts.events == 0)
            #expect(try await gateway.services.audit.all().filter { $0.action.hasPrefix("weavr.") }.isEmpty)
        }
    }

    @Test func anUnknownTenantAnswersExactlyAsABadSignature() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            let unknown = Webhooks.signed(tenant: "nosuchtenant", kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: Self.start)
            var bad = Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: Self.start)
            bad.signature = unknown.signature
            let a = try await gateway.post(unknown)
            let b = try await gateway.post(bad)
            #expect(a.status == 401 && b.status == 401)
            #expect(a.text == b.text)
            #expect(try await gateway.webhookRowCounts().events == 0)
        }
    }

    @Test func timestampsOutsideTheWindowAreRefusedOnBothSides() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            for skew: Int64 in [-300_001, 300_001, -3_600_000, 86_400_000] {
                let reply = try await gateway.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: Self.start + skew))
                #expect(reply.status == 401, "skew \(skew)")
                #expect(reply.code == "webhook_timestamp_out_of_window", "skew \(skew)")
            }
            #expect(try await gateway.webhookRowCounts().events == 0)
            for skew: Int64 in [-299_000, 299_000] {
                let reply = try await gateway.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: Self.start + skew))
                #expect(reply.status == 204, "skew \(skew)")
            }
            #expect(try await gateway.webhookRowCounts().events == 2)
        }
    }

    @Test func theWindowIsASetting() async throws {
        var settings = GatewayServices.Settings()
        settings.events.timestampWindow = .seconds(10)
        let clock = ManualWallClock(now: Self.start)
        try await withGateway(clock: clock, settings: settings) { (gateway: GatewayHarness) async throws in
            let delivery = Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: Self.start)
            clock.advance(by: 11_000)
            #expect(try await gateway.post(delivery).status == 401)
            clock.set(Self.start + 9_000)
            #expect(try await gateway.post(delivery).status == 204)
        }
    }

    @Test func oneCallRefSentConcurrentlyIsTakenInOnce() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            let delivery = Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), callRef: "cr-dup", timestamp: Self.start)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<16 { group.addTask { try await gateway.post(delivery).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 204, count: 16))
            let counts = try await gateway.webhookRowCounts()
            #expect(counts.receipts == 1 && counts.events == 1)
            #expect(try await gateway.services.audit.all().filter { $0.action == "weavr.card.state_change" }.count == 1)
            // A replay later, even with a fresh timestamp and signature, is a no-op too.
            let later = Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), callRef: "cr-dup", timestamp: Self.start + 1_000)
            #expect(try await gateway.post(later).status == 204)
            #expect(try await gateway.webhookRowCounts().events == 1)
        }
    }

    @Test func approvedAuthorisationsAreLoggedAndOnlyDeclinesAudited() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            let approved = Webhooks.signed(kind: .cardAuthorisation, body: Webhooks.authorisation(approved: true, transaction: "1"), timestamp: Self.start)
            let declined = Webhooks.signed(kind: .cardAuthorisation, body: Webhooks.authorisation(approved: false, transaction: "2"), timestamp: Self.start)
            #expect(try await gateway.post(approved).status == 204)
            #expect(try await gateway.post(declined).status == 204)
            #expect(try await gateway.webhookRowCounts().events == 2)
            let rows = try await gateway.services.audit.all().filter { $0.action == "weavr.card.authorisation" }
            #expect(rows.count == 1)
            #expect(rows.first?.outcome == "denied")
            #expect(rows.first?.details.contains("insufficient_funds") == true)
            #expect(rows.first?.details.contains(#""amount":1250"#) == true)
        }
    }

    @Test func cardNumbersAndCVVsInABodyAreNeverKept() async throws {
        try await withGateway(clock: ManualWallClock(now: Self.start)) { gateway in
            let extra = #","cardNumber":"4111111111111111","cvv":"123","pan":"5500005555555559""#
            let delivery = Webhooks.signed(kind: .cardAuthorisation, body: Webhooks.authorisation(approved: false, extra: extra), timestamp: Self.start)
            #expect(try await gateway.post(delivery).status == 204)
            let stored = try await gateway.services.weavrEvents.store.events(after: 0, limit: 10)
            #expect(stored.count == 1)
            for text in stored.map(\.json) + (try await gateway.services.audit.all()).map(\.allText) {
                #expect(!text.contains("4111111111111111") && !text.contains("5500005555555559") && !text.contains("cvv"))
            }
        }
    }

    @Test func aBodyOverTheLimitIs413AndAnUnreadableOneIs400() async throws {
        var settings = GatewayServices.Settings()
        settings.events.bodyLimit = 512
        try await withGateway(clock: ManualWallClock(now: Self.start), settings: settings) { gateway in
            let big = Webhooks.stateChange().dropLast() + #","padding":""# + String(repeating: "x", count: 600) + #""}"#
            let reply = try await gateway.post(Webhooks.signed(kind: .cardStateChange, body: String(big), timestamp: Self.start))
            #expect(reply.status == 413)
            let garbage = try await gateway.post(Webhooks.signed(kind: .cardStateChange, body: "[1,2]", timestamp: Self.start))
            #expect(garbage.status == 400)
            #expect(try await gateway.webhookRowCounts().receipts == 0)
        }
    }

    @Test func retentionPrunesOldEventsAndReceipts() async throws {
        let clock = ManualWallClock(now: Self.start)
        try await withGateway(clock: clock) { gateway in
            #expect(try await gateway.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: Self.start)).status == 204)
            clock.advance(by: 8 * 86_400_000)
            #expect(try await gateway.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: clock.now)).status == 204)
            let pruned = try await gateway.services.weavrEvents.store.prune(olderThan: gateway.services.settings.events.retention)
            #expect(pruned == 1)
            let counts = try await gateway.webhookRowCounts()
            #expect(counts.receipts == 1 && counts.events == 1)
        }
    }
}
