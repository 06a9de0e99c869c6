import Foundation
import Glibc
@testable import Gateway
import GatewayCore
import NIOFreeHTTP
import Storage
import TestSupport

/// Sending Weavr webhooks to a gateway and reading `/v1/events` off the wire, for the webhook and event tests.
enum Webhooks {
    static let acmeIdentity = "100000000000000001"
    static let carolIdentity = "100000000000000002"
    static let aliceCard = "100000000000000301"

    struct Delivery: Sendable {
        var path: String
        var body: [UInt8]
        var callRef: String
        var timestamp: String
        var signature: String
    }

    /// A delivery signed as Weavr signs (`signature-v2`).
    static func signed(
        tenant: String = "acme", kind: WeavrWebhookEvent.Kind, body: String, callRef: String = UUID().uuidString,
        timestamp: Int64, apiKey: String = "sim-demo-api-key"
    ) -> Delivery {
        let bytes = Array(body.utf8)
        return Delivery(
            path: "/webhooks/\(tenant)/" + kind.weavrPath, body: bytes, callRef: callRef, timestamp: String(timestamp),
            signature: WeavrWebhookSignature.sign(apiKey: apiKey, callRef: callRef, body: bytes, publishedTimestamp: String(timestamp))
        )
    }

    static func stateChange(card: String = aliceCard, event: String = "BLOCKED", owner: String? = acmeIdentity) -> String {
        let ownerPart = owner.map { #","owner":{"type":"corporates","id":"\#($0)"}"# } ?? ""
        return #"{"id":{"id":"\#(card)","type":"managed_cards"},"timestamp":"1750000000000","eventType":"\#(event)","state":{"state":"BLOCKED","blockedReason":"SYSTEM"},"cardType":"VIRTUAL","renewalType":"RENEW"\#(ownerPart)}"#
    }

    static func authorisation(approved: Bool, owner: String = acmeIdentity, transaction: String = "7001", extra: String = "") -> String {
        let decline = approved ? "" : #","declineReason":"INSUFFICIENT_FUNDS""#
        return #"{"id":{"id":"\#(aliceCard)","type":"managed_cards"},"transactionId":"\#(transaction)","authorisationType":"AUTHORISED","transactionAmount":{"currency":"EUR","amount":"1250"},"transactionTimestamp":"1750000000000","merchantData":{"merchantName":"Café Zoë"},"approved":\#(approved)\#(decline),"owner":{"type":"corporates","id":"\#(owner)"}\#(extra)}"#
    }
}

extension GatewayHarness {
    /// Posts `delivery` (no contract check: the webhook routes take Weavr's shapes).
    func post(_ delivery: Webhooks.Delivery, signature: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(port)\(delivery.path)")
        request.headers.add("content-type", "application/json")
        request.headers.add("call-ref", delivery.callRef)
        request.headers.add("published-timestamp", delivery.timestamp)
        request.headers.add("signature-v2", signature ?? delivery.signature)
        request.body = delivery.body
        let response = try await client.execute(request, timeout: .seconds(60))
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Rows in the webhook tables.
    func webhookRowCounts() async throws -> (receipts: Int64, events: Int64) {
        try await database.read { connection in
            let receipts = try connection.query("SELECT COUNT(*) FROM webhook_receipts", []).first?[0].int64Value ?? -1
            let events = try connection.query("SELECT COUNT(*) FROM weavr_events", []).first?[0].int64Value ?? -1
            return (receipts, events)
        }
    }

    /// Opens `GET /v1/events` on a raw connection (the answer is read off the wire as it streams).
    func openEventStream(token: String, lastEventID: String? = nil, receiveBufferSize: Int? = nil) throws -> RawClient {
        let client = try RawClient(port: port, receiveBufferSize: receiveBufferSize)
        var head = "GET /v1/events HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n"
        if let lastEventID { head += "Last-Event-ID: \(lastEventID)\r\n" }
        try client.send(head + "\r\n")
        return client
    }
}

extension RawClient {
    /// Hangs up both ways, as a browser closing an `EventSource` does; the server notices at its next write.
    func hangUp() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// The stream's last chunk (RFC 9112 §7.1) arrived: the server ended the stream.
    var streamEnded: Bool { receivedText.contains("\r\n0\r\n\r\n") }

    /// Reads until the received text contains `needle` (chunk framing included) or `timeout` passes.
    func read(until needle: String, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil(timeout: timeout) { [self] in
            if receivedText.contains(needle) { return true }
            if peerClosed { throw TestFailure("stream closed before \(needle.debugDescription); got \(receivedText.suffix(400))") }
            await readOnce(timeout: .milliseconds(200))
            return receivedText.contains(needle)
        }
    }
}
