import Audit
import Foundation
@testable import Gateway
import GatewayCore
import NIOFreeHTTP
import Storage
import Testing
import TestSupport

/// `GET /v1/events` over real sockets: own identity only, resume with `Last-Event-ID`, heartbeats, limits, a slow
/// client dropped.
@Suite(.serialized)
struct EventStreamTests {
    static func settings(_ change: (inout WeavrEventSettings) -> Void = { _ in }) -> GatewayServices.Settings {
        var settings = GatewayServices.Settings()
        change(&settings.events)
        return settings
    }

    @Test func aStreamCarriesItsOwnIdentitysEventsAndResumesAfterADisconnect() async throws {
        // Short heartbeats: a stream notices a client that hung up at its next write.
        try await withGateway(settings: Self.settings { $0.heartbeatInterval = .milliseconds(50) }) { gateway in
            let token = try await gateway.login()
            let stream = try gateway.openEventStream(token: token)
            try await stream.read(until: "retry: 2000")
            #expect(stream.receivedText.contains("content-type: text/event-stream"))
            let now = gateway.services.clock.now
            #expect(try await gateway.post(Webhooks.signed(kind: .cardAuthorisation, body: Webhooks.authorisation(approved: true, owner: Webhooks.carolIdentity, transaction: "9"), timestamp: now)).status == 204)
            #expect(try await gateway.post(Webhooks.signed(kind: .cardAuthorisation, body: Webhooks.authorisation(approved: false, transaction: "10"), timestamp: now)).status == 204)
            try await stream.read(until: #""transactionId":"10""#)
            let text = stream.receivedText
            #expect(!text.contains(#""transactionId":"9""#))  // carol's identity: not alice's stream
            #expect(text.contains("event: card.authorisation"))
            #expect(text.contains(#""approved":false,"declineReason":"insufficient_funds","merchantName":"Café Zoë","amount":{"currency":"EUR","amount":1250}"#))
            guard let id = text.firstMatch(of: /id: (\d+)\nevent: card.authorisation\ndata: [^\n]*"transactionId":"10"/)?.1 else {
                Issue.record("no id line in \(text)")
                return
            }
            stream.hangUp()
            // While disconnected: two more events; the resumed stream gets exactly those.
            for transaction in ["11", "12"] {
                #expect(try await gateway.post(Webhooks.signed(kind: .cardAuthorisation, body: Webhooks.authorisation(approved: true, transaction: transaction), timestamp: now)).status == 204)
            }
            try await waitUntil { gateway.services.weavrEvents.hub.openStreams == 0 }
            let resumed = try gateway.openEventStream(token: token, lastEventID: String(id))
            try await resumed.read(until: #""transactionId":"12""#)
            #expect(resumed.receivedText.contains(#""transactionId":"11""#))
            #expect(!resumed.receivedText.contains(#""transactionId":"10""#))
            #expect(!resumed.receivedText.contains(#""transactionId":"9""#))
            // And it stays live.
            #expect(try await gateway.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(), timestamp: now)).status == 204)
            try await resumed.read(until: "event: card.state_change")
        }
    }

    @Test func anIdleStreamGetsHeartbeatsAndEndsWithItsSession() async throws {
        try await withGateway(settings: Self.settings { $0.heartbeatInterval = .milliseconds(50) }) { gateway in
            let token = try await gateway.login()
            let stream = try gateway.openEventStream(token: token)
            try await stream.read(until: ": heartbeat")
            #expect(try await gateway.call("POST", "/v1/auth/logout", token: token).status == 204)
            try await waitUntil {
                await stream.readOnce(timeout: .milliseconds(200))
                return stream.streamEnded
            }
            try await waitUntil { gateway.services.weavrEvents.hub.openStreams == 0 }
        }
    }

    @Test func streamsAreLimitedPerSessionAndTheSlotComesBack() async throws {
        try await withGateway(settings: Self.settings {
            $0.streamsPerSession = 1
            $0.heartbeatInterval = .milliseconds(50)
        }) { gateway in
            let token = try await gateway.login()
            let first = try gateway.openEventStream(token: token)
            try await first.read(until: "retry: 2000")
            let refused = try await gateway.call("GET", "/v1/events", token: token)
            #expect(refused.status == 429)
            #expect(refused.code == "too_many_streams")
            #expect(refused.headers["retry-after"] != nil)
            let otherSession = try await gateway.login()
            let second = try gateway.openEventStream(token: otherSession)
            try await second.read(until: "retry: 2000")
            first.hangUp()
            try await waitUntil { gateway.services.weavrEvents.hub.openStreams == 1 }
            let again = try gateway.openEventStream(token: token)
            try await again.read(until: "retry: 2000")
        }
    }

    @Test func shutdownEndsOpenStreams() async throws {
        try await withGateway { gateway in
            let stream = try gateway.openEventStream(token: try await gateway.login())
            try await stream.read(until: "retry: 2000")
            gateway.services.endEventStreams()
            try await waitUntil {
                await stream.readOnce(timeout: .milliseconds(200))
                return stream.streamEnded
            }
            #expect(gateway.services.weavrEvents.hub.openStreams == 0)
        }
    }

    @Test func aBadLastEventIDIs400() async throws {
        try await withGateway { gateway in
            let token = try await gateway.login()
            var headers = HTTPHeaders()
            headers.add("last-event-id", "abc")
            let reply = try await gateway.call("GET", "/v1/events", token: token, headers: headers)
            #expect(reply.status == 400)
            #expect(gateway.services.weavrEvents.hub.openStreams == 0)
        }
    }

    @Test func aClientThatStopsReadingIsDroppedWhileOneThatReadsIsKept() async throws {
        try await withGateway(settings: Self.settings { $0.streamQueueDepth = 4 }) { gateway in
            let hub = gateway.services.weavrEvents.hub
            let slow = try gateway.openEventStream(token: try await gateway.login(), receiveBufferSize: 4096)
            try await slow.read(until: "retry: 2000")
            let reader = try gateway.openEventStream(token: try await gateway.login())
            try await reader.read(until: "retry: 2000")
            // Rounds of two ~4 KiB events (below the queue depth of 4). The reader keeps up with every round; the
            // slow client reads nothing, so its connection's send buffer fills (256 KiB) and then its queue.
            let padding = String(repeating: "x", count: 4_000)
            var round = 0
            while hub.droppedStreams == 0 {
                round += 1
                guard round <= 400 else {
                    Issue.record("the slow stream was never dropped")
                    return
                }
                let marker = "round-\(round)-end"
                let names = ["round-\(round)", marker]
                try await gateway.database.write { connection in
                    for name in names {
                        let seq = try connection.query("UPDATE weavr_events_head SET seq = seq + 1 WHERE id = 1 RETURNING seq", [])[0][0]
                        _ = try connection.run(
                            "INSERT INTO weavr_events (seq, tenant_id, identity_type, identity_id, kind, data, received_at) VALUES (?, 'acme', 'corporates', ?, 'card.authorisation', ?, 0)",
                            [seq, .text(Webhooks.acmeIdentity), .text(#"{"type":"card.authorisation","merchantName":"\#(name)","padding":"\#(padding)"}"#)]
                        )
                    }
                }
                await hub.pump()
                try await reader.read(until: #""merchantName":"\#(marker)""#)
                reader.clearReceived()
            }
            #expect(hub.droppedStreams == 1)
            #expect(hub.openStreams == 1)  // the reader is still there
            #expect(round > 20)  // buffers of a few hundred KiB filled first: it is the queue that let go
        }
    }
}

/// Weavr's card state change names no owner: the gateway routes it to the identity it saw owning the card.
@Suite struct CardOwnerRoutingTests {
    @Test func aStateChangeWithoutOwnerReachesTheIdentityThatListedTheCard() async throws {
        try await withGateway { harness in
            let token = try await harness.login()
            let stream = try harness.openEventStream(token: token)
            try await stream.read(until: "retry: 2000")
            let now = harness.services.clock.now
            // Never seen through the gateway: audited and logged, streamed to nobody.
            #expect(try await harness.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(event: "BLOCKED", owner: nil), callRef: "own-1", timestamp: now)).status == 204)
            // Once alice's session listed her cards, the next state change of that card is hers.
            #expect(try await harness.call("GET", "/v1/cards", token: token).status == 200)
            #expect(try await harness.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(event: "UNBLOCKED", owner: nil), callRef: "own-2", timestamp: now)).status == 204)
            try await stream.read(until: #""event":"unblocked""#)
            #expect(!stream.receivedText.contains(#""event":"blocked""#), "the event of an unknown card went to nobody")
            #expect(try await harness.services.audit.all(AuditFilter(action: "weavr.card.state_change")).count == 2)
            // Another identity's stream never sees alice's card.
            let dave = try await harness.login(tenant: "globex", email: "dave@example.com", password: "Password4!")
            let other = try harness.openEventStream(token: dave)
            try await other.read(until: "retry: 2000")
            #expect(try await harness.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(event: "DESTROYED", owner: nil), callRef: "own-3", timestamp: now)).status == 204)
            try await stream.read(until: #""event":"destroyed""#)
            #expect(!other.receivedText.contains(#""event":"destroyed""#))
        }
    }
}
