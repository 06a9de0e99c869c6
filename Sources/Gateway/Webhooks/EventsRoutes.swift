import Auth
import GatewayCore
import NIOFreeHTTP

/// `GET /v1/events`: the session's own identity's Weavr events as Server-Sent Events (WHATWG HTML §9.2).
///
/// Each event is `id: <seq>`, `event: <kind>`, `data: <JSON>`; `Last-Event-ID` resumes after that seq from the
/// durable log (kept `events.retention`). An idle stream gets a comment line every `events.heartbeat_interval`,
/// and at each heartbeat the session row is read again: a revoked or expired session ends the stream. Streams
/// are limited per session and per tenant (429 `too_many_streams`); a client that falls `events.queue_depth`
/// events behind is dropped (`EventStreamQueue`).
struct EventsRoutes: Sendable {
    let events: WeavrEvents
    let sessions: any SessionStore
    let clock: any WallClock

    init(services: GatewayServices) {
        events = services.weavrEvents
        sessions = services.sessions
        clock = services.clock
    }

    func register(on routes: inout V1Routes) {
        routes.query("/events") { call in try await stream(call) }
    }

    /// Holds a stream's slot in the hub; the slot is given back when the stream ends or when the response is
    /// dropped without being streamed (a HEAD request, a connection already gone).
    private final class Lease: Sendable {
        let hub: WeavrEventHub
        let subscription: WeavrEventHub.Subscription
        init(hub: WeavrEventHub, subscription: WeavrEventHub.Subscription) {
            self.hub = hub
            self.subscription = subscription
        }
        deinit { hub.unsubscribe(subscription) }
    }

    private func stream(_ call: V1Call) async throws -> HTTPResponse {
        let query = try ListQuery(call.request, allowed: [])
        try query.validate()
        var resumeAfter: Int64?
        if let header = call.request.headers["last-event-id"] {
            guard (1...19).contains(header.utf8.count), header.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seq = Int64(header) else {
                throw Problem(.badRequest, detail: "Last-Event-ID must be an event id this stream sent")
            }
            resumeAfter = seq
        }
        let session = call.auth.session
        let hub = events.hub
        let subscription: WeavrEventHub.Subscription
        do {
            subscription = try hub.subscribe(tenantID: session.tenantID, identityID: session.identity.id, sid: session.sid)
        } catch .session {
            throw Problem(.tooManyStreams, detail: "this session has \(events.settings.streamsPerSession) open event streams", retryAfter: 5)
        } catch {
            throw Problem(.tooManyStreams, detail: "this tenant has too many open event streams", retryAfter: 5)
        }
        let lease = Lease(hub: hub, subscription: subscription)
        var headers = HTTPHeaders()
        headers.add("content-type", "text/event-stream")
        headers.add("cache-control", "no-store")
        headers.add("x-accel-buffering", "no")
        if call.request.method == "HEAD" { return HTTPResponse(status: 200, headers: headers) }
        let store = events.store
        let interval = events.settings.heartbeatInterval
        let sessions = self.sessions
        let clock = self.clock
        let resume = resumeAfter
        return HTTPResponse(status: 200, headers: headers) { writer in
            let queue = lease.subscription.queue
            let heartbeat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    queue.tick()
                }
            }
            defer { heartbeat.cancel() }
            try await writer.write("retry: 2000\n\n")
            var last: Int64 = -1
            if let resume {
                last = resume
                while true {
                    let backlog = try await store.events(tenantID: session.tenantID, identityID: session.identity.id, after: last, limit: 200)
                    for event in backlog {
                        try await writer.write(Self.frame(event))
                        last = event.seq
                    }
                    if backlog.count < 200 { break }
                }
            }
            while true {
                switch await queue.next() {
                case .event(let event):
                    guard event.seq > last else { continue }
                    try await writer.write(Self.frame(event))
                    last = event.seq
                case .heartbeat:
                    guard let current = try? await sessions.get(sid: session.sid, tenantID: session.tenantID),
                          current.isLive(at: clock.now)
                    else { return withExtendedLifetime(lease) {} }
                    try await writer.write(": heartbeat\n\n")
                case .dropped:
                    return withExtendedLifetime(lease) {}
                }
            }
        }
    }

    /// One SSE event. The JSON has no line breaks (`JSONWriter` escapes control characters).
    static func frame(_ event: WeavrEventStore.StoredEvent) -> String {
        "id: \(event.seq)\nevent: \(event.kind)\ndata: \(event.json)\n\n"
    }
}
