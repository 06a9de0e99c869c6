import Audit
import Auth
import GatewayCore
import NIOFreeHTTP
import Upstream

/// `Idempotency-Key` on mutations (docs/ARCHITECTURE.md): the first response is stored per tenant + user + key for
/// 24 h and replayed with `Idempotent-Replayed: true`; the same key with a different request → 422
/// `idempotency_key_reused`; while the first is in flight → 409 `idempotency_in_flight`.
///
/// What is remembered: 2xx and 4xx outcomes, except the transient 401, 408, 423 and 429 (a retry after
/// logging in again or waiting must run). 5xx outcomes are forgotten so a retry runs again; the Weavr
/// `idempotency-ref` (the same for every retry) keeps Weavr from doing the work twice. When the store
/// cannot be reached the request is refused (503) before the handler runs. When storing the outcome
/// fails the response is still returned; the in-flight row is then taken as abandoned after 60 s.
struct IdempotencyGuard: Sendable {
    static let replayedHeader = "idempotent-replayed"

    let keys: IdempotencyKeys
    let store: any IdempotencyStore
    /// Writes the held outcome rows alone when the store could not take them with the response.
    let audit: AuditTrail

    init(services: GatewayServices, store: (any IdempotencyStore)? = nil, audit: AuditTrail) {
        keys = services.idempotencyKeys
        self.store = store ?? services.idempotency
        self.audit = audit
    }

    /// Runs `body` under the request's `Idempotency-Key`, if any. With a key, `body` gets the derived
    /// `idempotency-ref` and a `DeferredOutcomes` for its audited step's outcome rows: they are written in one
    /// commit with the stored response (or the key's release) before this returns.
    func run(
        request: HTTPRequest, context: RequestContext, auth: AuthenticatedRequest, sessionBound: Bool = false,
        _ body: (_ idempotencyRef: String?, _ outcomes: DeferredOutcomes?) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard let key = request.headers["idempotency-key"] else { return try await body(nil, nil) }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw Problem(.validationFailed, invalidFields: [.init(name: "Idempotency-Key", reason: "1–255 visible ASCII characters")])
        }
        // Whose key: the user's, or for a session-bound route the user's in this session (by the sid's hash).
        let owner = sessionBound ? auth.session.userID + "|session:" + SHA256.hexHash(auth.session.sid) : auth.session.userID
        let ref = keys.ref(tenantID: auth.tenant.id, owner: owner, route: context.route ?? request.path, method: request.method, key: key)
        let scope = IdempotencyScope(tenantID: auth.tenant.id, userID: owner, key: key)
        let fingerprint = keys.fingerprint(of: request)

        let claim: IdempotencyClaim
        do {
            claim = try await store.claim(scope, fingerprint: fingerprint)
        } catch {
            throw Problem(.serviceUnavailable, detail: "idempotency store unavailable", retryAfter: 1)
        }
        switch claim {
        case .acquired:
            break
        case .replay(let stored):
            return Self.replay(stored)
        case .inFlight:
            throw Problem(.idempotencyInFlight, retryAfter: 1)
        case .keyReused:
            throw Problem(.idempotencyKeyReused, detail: "this Idempotency-Key was used with a different request")
        }

        let outcomes = DeferredOutcomes()
        let response: HTTPResponse
        do {
            response = try await body(ref, outcomes)
        } catch {
            // Failures arrive mapped (`V1Pipeline` maps upstream errors inside this step); anything else is a 500.
            await finish(scope, fingerprint, (error as? any HTTPResponseError)?.response() ?? Problem(.internalError).response(), outcomes.take())
            throw error
        }
        await finish(scope, fingerprint, response, outcomes.take())
        return response
    }

    /// Stores a rememberable outcome, or releases the key, with the held outcome rows in the same commit. If
    /// that fails, each is tried alone: the rows must not be lost because the response could not be stored.
    private func finish(_ scope: IdempotencyScope, _ fingerprint: [UInt8], _ response: HTTPResponse, _ rows: [AuditEntry]) async {
        if Self.isRemembered(response.status), case .bytes(let bytes) = response.body {
            let stored = IdempotentResponse(
                status: response.status, contentType: response.headers["content-type"],
                location: response.headers["location"], body: bytes
            )
            do {
                try await store.complete(scope, fingerprint: fingerprint, response: stored, auditing: rows)
                return
            } catch {
                try? await store.complete(scope, fingerprint: fingerprint, response: stored, auditing: [])
            }
        } else {
            do {
                try await store.release(scope, fingerprint: fingerprint, auditing: rows)
                return
            } catch {
                try? await store.release(scope, fingerprint: fingerprint, auditing: [])
            }
        }
        if !rows.isEmpty { await audit.record(rows) }
    }

    static func isRemembered(_ status: Int) -> Bool {
        (200..<500).contains(status) && ![401, 408, 423, 429].contains(status)
    }

    static func replay(_ stored: IdempotentResponse) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let contentType = stored.contentType { headers.add("content-type", contentType) }
        if let location = stored.location { headers.add("location", location) }
        headers.add(replayedHeader, "true")
        return HTTPResponse(status: stored.status, headers: headers, body: stored.body)
    }
}
