import Audit
import Auth
import Logging
import NIOFreeHTTP
import Upstream

/// `POST /v1/cards/{id}/reveal`: the narrowest way to show a card's number and CVV (docs/ARCHITECTURE.md,
/// "Revealing card details"; README, "Revealing card details").
///
/// Weavr hands out a card's number and CVV only as tokens, and its Secure UI components turn them into digits
/// in the browser only with a Weavr user token (`associate`). The user's own Weavr token never leaves the
/// gateway, so a reveal makes a *separate* Weavr session for it alone: the gateway exchanges the user's token at
/// Weavr's `/access_token` for a new token, records it (sealed) to be logged out at Weavr when it expires
/// (`RevealReaper`), and returns that token with the card's tokenised number and CVV. Off unless the tenant
/// opts in (daily quota `cards.reveal`, default 0); a stepped-up session only; at most
/// `maxOpenPerUser` reveal sessions of one user at once; every reveal an audited `card.reveal` row that never
/// holds a token. The answer is never stored (`replayable: false`: no `Idempotency-Key`) nor cached.
struct RevealRoutes: Sendable {
    let v1: V1Router
    let sessions: RevealSessions
    /// How long the separate Weavr session lives before it is logged out.
    let lifetime: Duration
    /// Reveal sessions of one user open at once.
    static let maxOpenPerUser = 3

    func register(on routes: inout V1Routes) {
        routes.mutation(
            "POST", "/cards/{id}/reveal", bodyLimit: 1024, replayable: false,
            audit: AuditStep(action: .cardReveal, quota: .cardsReveal, targetParameter: "id")
        ) { call in try await reveal(call) }
    }

    /// → 201 `{cardNumber: {token}, cvv: {token}, weavrUserToken, expiresAt}`.
    func reveal(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        let tenant = call.auth.tenant
        let session = call.auth.session
        guard (tenant.quotas[QuotaOperation.cardsReveal.rawValue] ?? 0) > 0 else {
            throw Problem(.forbidden, detail: "revealing card details is not enabled for this tenant (quota cards.reveal)")
        }
        guard session.isSteppedUp else {
            throw Problem(.stepUpRequired, detail: "verify a step-up challenge to reveal card details")
        }
        let lifetimeSeconds = Int(lifetime.components.seconds)
        guard try await sessions.openCount(tenantID: tenant.id, userID: session.userID) < Self.maxOpenPerUser else {
            throw Problem(.rateLimited, detail: "at most \(Self.maxOpenPerUser) card reveals may be open at once", retryAfter: max(1, lifetimeSeconds))
        }
        return try await call.audited(details: ["lifetime_seconds": .integer(Int64(lifetimeSeconds))]) {
            let details = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.sensitiveCardDetails(id) }
            // Weavr returns the tokens only to a stepped-up Weavr session.
            guard let number = details.value.cardNumber?.value, let cvv = details.value.cvv?.value else {
                throw Problem(.stepUpRequired, detail: "Weavr did not release the card details: verify a step-up challenge again")
            }
            let weavr = call.weavr
            let identity = IdentityID(type: session.identity.type, id: session.identity.id)
            let exchanged = try await CardsRoutes.upstream { () async throws(WeavrError) in
                try await weavr.client.accessToken(authToken: weavr.token, identity: identity, requestID: weavr.requestID)
            }
            let revealToken = exchanged.value.token
            guard revealToken != weavr.token else {
                // Never hand out the user's own token, whatever Weavr answers.
                throw Problem(.upstreamError, detail: "Weavr did not issue a separate session")
            }
            let expiresAt = call.auditTrail.clock.now + Int64(lifetimeSeconds) * 1000
            do {
                _ = try await sessions.record(tenantID: tenant.id, userID: session.userID, cardID: id, weavrToken: revealToken, expiresAt: expiresAt)
            } catch {
                // Not recorded means never logged out later: end it now and answer nothing.
                _ = try? await weavr.client.logout(token: revealToken, requestID: weavr.requestID)
                throw Problem(.serviceUnavailable, detail: "the reveal cannot be recorded", retryAfter: 1)
            }
            var json = JSONWriter()
            json.beginObject()
            json.key("cardNumber")
            json.beginObject()
            json.field("token", number)
            json.endObject()
            json.key("cvv")
            json.beginObject()
            json.field("token", cvv)
            json.endObject()
            json.field("weavrUserToken", revealToken)
            json.field("expiresAt", Timestamp.iso8601(milliseconds: expiresAt))
            json.endObject()
            return AuditedOutcome(
                response: CardsRoutes.json(201, json.bytes), upstreamStatus: exchanged.status, upstreamRequestRef: exchanged.requestRef,
                details: ["weavr_session_status": .string(exchanged.value.status ?? "unknown")]
            )
        }
    }
}

/// Logs out, at Weavr, each reveal session whose time is up (`RevealSessions`), then forgets it. Runs every
/// `interval` in a serving gateway; any instance may do it (a logout is harmless twice). A session Weavr no
/// longer knows (401) counts as logged out; one that cannot be reached is tried again on later passes, and
/// given up after `maxAttempts` (Weavr's own idle timeout ends it), with an error line.
enum RevealReaper {
    static let maxAttempts = 20

    /// One pass: returns how many sessions were logged out (or given up).
    @discardableResult
    static func pass(services: GatewayServices) async throws -> Int {
        let logger = Logger(label: "weavr-gateway.reveal")
        var finished = 0
        for due in try await services.revealSessions.due() {
            guard !due.weavrToken.isEmpty, let tenant = try await services.tenants.get(due.tenantID) else {
                try await services.revealSessions.remove(id: due.id)
                finished += 1
                continue
            }
            if await logOut(due.weavrToken, tenant: tenant, services: services) {
                try await services.revealSessions.remove(id: due.id)
                finished += 1
            } else {
                if due.attempts + 1 >= maxAttempts {
                    logger.error("reveal session not logged out at Weavr; given up", metadata: ["tenant": "\(due.tenantID)", "attempts": "\(due.attempts + 1)"])
                    try await services.revealSessions.remove(id: due.id)
                    finished += 1
                } else {
                    try await services.revealSessions.recordFailedAttempt(id: due.id)
                }
            }
        }
        return finished
    }

    /// True once Weavr ended the token: logged out now, or already unknown to Weavr (401).
    private static func logOut(_ token: String, tenant: Tenant, services: GatewayServices) async -> Bool {
        guard let client = try? await services.weavrAccess.client(for: tenant) else { return false }
        do {
            _ = try await client.logout(token: token)
            return true
        } catch {
            return error.kind == .unauthorized
        }
    }

    /// Runs `pass` every `interval` until cancelled.
    static func start(services: GatewayServices, interval: Duration = .seconds(10)) -> Task<Void, Never> {
        Task.detached {
            let logger = Logger(label: "weavr-gateway.reveal")
            while !Task.isCancelled {
                do {
                    try await pass(services: services)
                } catch {
                    logger.error("reveal logout pass failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
