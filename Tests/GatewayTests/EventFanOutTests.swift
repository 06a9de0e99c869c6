import Auth
import Foundation
@testable import Gateway
import GatewayCore
import NIOFreeHTTP
import Storage
import Testing
import TestSupport

/// Two gateway instances on one PostgreSQL database: a webhook taken in by either reaches a `/v1/events` stream
/// open on the other (each instance LISTENs for the others' commits; the safety-net poll is set to an hour here,
/// so only a notification can deliver in time). Needs PostgreSQL
/// (`eval "$(bash scripts/postgres.sh start)"`); fails with a clear message without it.
struct EventFanOutTests {
    @Test func aWebhookTakenInOnOneInstanceStreamsOnTheOther() async throws {
        var settings = GatewayServices.Settings()
        settings.events.pollInterval = .seconds(3600)
        try await withGateway(settings: settings, backend: .postgres) { a in
            guard let postgres = a.postgres else { throw TestFailure("no PostgreSQL database") }
            let databaseB = try await postgres.connect(migrations: .gateway, readers: 2)
            let keyBytes = Array(Data(base64Encoded: a.masterKeyBase64)!)
            let b = try await GatewayServices(database: databaseB, masterKey: try MasterKey(bytes: keyBytes), http: a.client, settings: settings)
            var configuration = HTTPServer.Configuration()
            configuration.port = 0
            let serverB = try HTTPServer(configuration: configuration, group: a.group, responder: GatewayServer.makeRouter(services: b))
            try serverB.start()
            let tasks = a.services.weavrEvents.start() + b.weavrEvents.start()
            defer { tasks.forEach { $0.cancel() } }
            do {
                try await waitUntil { a.services.weavrEvents.isListening && b.weavrEvents.isListening }
                let token = try await a.login()
                // A stream on B, a webhook to A.
                let onB = try RawClient(port: serverB.localAddress!.port)
                try onB.send("GET /v1/events HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer \(token)\r\n\r\n")
                try await onB.read(until: "retry: 2000")
                let now = a.services.clock.now
                #expect(try await a.post(Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(event: "BLOCKED"), timestamp: now)).status == 204)
                try await onB.read(until: #""event":"blocked""#)
                // A stream on A, a webhook to B (the same call-ref sent to both instances is taken in once).
                let onA = try a.openEventStream(token: token)
                try await onA.read(until: "retry: 2000")
                let delivery = Webhooks.signed(kind: .cardStateChange, body: Webhooks.stateChange(event: "UNBLOCKED"), callRef: "fan-1", timestamp: now)
                var request = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(serverB.localAddress!.port)\(delivery.path)")
                request.headers.add("call-ref", delivery.callRef)
                request.headers.add("published-timestamp", delivery.timestamp)
                request.headers.add("signature-v2", delivery.signature)
                request.body = delivery.body
                #expect(try await a.client.execute(request, timeout: .seconds(60)).status == 204)
                #expect(try await a.post(delivery).status == 204)
                try await onA.read(until: #""event":"unblocked""#)
                try await onB.read(until: #""event":"unblocked""#)
                #expect(try await a.webhookRowCounts().events == 2)
                #expect(try await a.services.audit.verify().ok)
            } catch {
                await serverB.shutdown(gracePeriod: .seconds(1))
                databaseB.close()
                throw error
            }
            await serverB.shutdown(gracePeriod: .seconds(1))
            databaseB.close()
        }
    }
}
