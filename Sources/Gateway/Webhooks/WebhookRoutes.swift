import Audit
import GatewayCore
import NIOFreeHTTP

/// The receiver of Weavr's webhooks (docs/ARCHITECTURE.md, "Weavr's events"): `POST /webhooks/{tenant}/<Weavr's
/// path>` on the public listener — in Weavr's portal the operator sets the webhook URL to
/// `https://<gateway>/webhooks/<tenant id>` and Weavr appends its paths (`/managed_cards/state_change/watch`, …).
///
/// Order: body size → headers present → tenant and its api-key → `signature-v2` over the raw bytes (constant
/// time) → timestamp window → body parsed → receipt + event + audit row in one write job → 204. An unknown or
/// suspended tenant answers exactly as a bad signature does (a signature is computed all the same), and
/// nothing is stored for either.
struct WebhookRoutes: Sendable {
    let services: GatewayServices
    let events: WeavrEvents
    let keys = WebhookKeyCache()

    init(services: GatewayServices) {
        self.services = services
        events = services.weavrEvents
    }

    func register(on router: inout Router) {
        for kind in WeavrWebhookEvent.Kind.allCases {
            router.post("/webhooks/{tenant}/" + kind.weavrPath) { request, context in
                try await receive(kind, request, context)
            }
        }
    }

    /// The key a signature is checked with when there is no tenant: the same work, never a match.
    private static let absentKey = String(repeating: "\u{0}", count: 32)

    func receive(_ kind: WeavrWebhookEvent.Kind, _ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        let settings = events.settings
        guard request.body.count <= settings.bodyLimit else {
            throw Problem(.payloadTooLarge, detail: "webhook body over \(settings.bodyLimit) bytes")
        }
        let clientIP = services.trustedProxies.clientAddress(of: request)
        let callRef = request.headers["call-ref"] ?? ""
        let timestamp = request.headers["published-timestamp"] ?? ""
        let signature = request.headers["signature-v2"] ?? ""
        let tenantID = request.pathParameters["tenant"] ?? ""
        let wellFormed = callRef.utf8.count <= 255 && (1...19).contains(timestamp.utf8.count)
            && timestamp.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && !signature.isEmpty && signature.utf8.count <= 128
            && tenantID.utf8.count <= 64
        var apiKey: String?
        if wellFormed {
            do {
                if let tenant = try await services.tenants.get(tenantID), tenant.status == .active {
                    let generation = services.storeChanges.generation
                    let now = services.clock.now
                    if let cached = keys.key(for: tenant.id, generation: generation, now: now) {
                        apiKey = cached
                    } else {
                        apiKey = try await services.tenants.weavrAPIKey(for: tenant.id)
                        if let apiKey { keys.store(apiKey, for: tenant.id, generation: generation, now: now) }
                    }
                }
            } catch {
                throw Problem(.serviceUnavailable, retryAfter: 1)
            }
        }
        let verified = WeavrWebhookSignature.verify(
            signature: signature, apiKey: apiKey ?? Self.absentKey, callRef: callRef, body: request.body, publishedTimestamp: timestamp
        )
        guard wellFormed, apiKey != nil, verified else {
            services.denials.record(reason: "webhook_signature", clientIP: clientIP)
            throw Problem(.webhookSignatureInvalid, detail: "signature-v2 does not verify for this URL")
        }
        RequestObservation.current?.tenant = tenantID
        let now = services.clock.now
        let window = Int64(settings.timestampWindow.components.seconds) * 1_000
        guard let published = Int64(timestamp), abs(now - published) <= window else {
            services.denials.record(reason: "webhook_timestamp", clientIP: clientIP, tenant: tenantID)
            throw Problem(.webhookTimestampOutOfWindow, detail: "published-timestamp is outside the accepted window")
        }
        guard let event = WeavrWebhookEvent(kind: kind, body: request.body) else {
            throw Problem(.badRequest, detail: "webhook body not understood")
        }
        // Weavr's call-ref is optional: without one, the signed timestamp and body stand for the delivery.
        let receiptKey = callRef.isEmpty ? "sha256:" + SHA256.hexHash(Array(timestamp.utf8) + request.body) : callRef
        let audit = event.audit.map { audit in
            AuditEntry(
                tenant: tenantID, actor: "weavr:system", action: kind.auditAction, target: audit.target, outcome: audit.outcome,
                httpStatus: 204, upstreamRequestRef: callRef.isEmpty ? nil : callRef, requestID: context.requestID,
                clientIP: clientIP, userAgent: request.headers["user-agent"], details: AuditTrail.details(audit.details)
            )
        }
        do {
            if case .recorded = try await events.store.record(tenantID: tenantID, callRef: receiptKey, event: event, audit: audit) {
                events.hub.poke()
            }
        } catch {
            throw Problem(.serviceUnavailable, retryAfter: 1)
        }
        return HTTPResponse(status: 204)
    }
}
