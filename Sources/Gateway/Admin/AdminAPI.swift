import Audit
import Auth
import Foundation
public import NIOFreeHTTP

/// The operator's API, served on its own listener (loopback by default; never on the public one):
/// tenants (the api-key is write-only), sessions, signing keys — and, with the audit log, usage and audit.
/// Every call needs an admin bearer token; every call, refused ones included, goes to `onAudit`.
public struct AdminAPI: Sendable {
    /// One admin call, for the audit log.
    public struct Call: Sendable {
        public var admin: String?
        public var action: String
        public var target: String?
        public var status: Int
        public var requestID: String
        public var clientIP: String
        public var userAgent: String?
    }

    let services: GatewayServices
    let tokens: AdminTokenSource
    let onAudit: @Sendable (Call) async -> Void

    /// `onAudit` defaults to writing an `admin.*` row to the services' audit log for every call.
    public init(services: GatewayServices, tokens: AdminTokens, onAudit: (@Sendable (Call) async -> Void)? = nil) {
        self.init(services: services, tokenSource: AdminTokenSource(tokens), onAudit: onAudit)
    }

    /// With tokens that can be replaced while running (`serve` re-reads the tokens file on SIGHUP).
    public init(services: GatewayServices, tokenSource: AdminTokenSource, onAudit: (@Sendable (Call) async -> Void)? = nil) {
        self.services = services
        tokens = tokenSource
        self.onAudit = onAudit ?? { call in await AdminAPI.record(call, in: services) }
    }

    /// Writes one admin call to the audit log (a failure to write is logged, the answer already given).
    static func record(_ call: Call, in services: GatewayServices) async {
        let outcome: AuditOutcome = call.admin == nil ? .denied : (call.status < 400 ? .success : .failure)
        let action = AuditAction(rawValue: call.action) ?? .accessDenied
        let entry = AuditEntry(
            tenant: nil, actor: "admin:" + (call.admin ?? "?"), action: action, target: call.target,
            outcome: outcome, httpStatus: call.status, requestID: call.requestID,
            clientIP: call.clientIP, userAgent: call.userAgent
        )
        _ = try? await services.audit.append([entry])
    }

    typealias Handler = @Sendable (HTTPRequest, RequestContext) async throws -> HTTPResponse

    /// Adds an admin route: token check, problem mapping, audit.
    func route(_ router: inout Router, _ method: String, _ path: String, action: String, _ handler: @escaping Handler) {
        router.add(method, path) { request, context in
            var call = Call(admin: nil, action: action, target: request.pathParameters["id"] ?? request.pathParameters["kid"],
                            status: 0, requestID: context.requestID, clientIP: request.peer.host,
                            userAgent: request.headers["user-agent"])
            let response: HTTPResponse
            if let admin = authenticate(request) {
                call.admin = admin
                do {
                    response = try await handler(request, context)
                } catch let problem as Problem {
                    response = problem.response()
                } catch let error as TenantValidationError {
                    response = Problem(.validationFailed, invalidFields: [.init(name: error.field, reason: "expected " + error.expected)]).response()
                } catch let error as TenantStoreError {
                    switch error {
                    case .notFound: response = Problem(.notFound).response()
                    case .alreadyExists: response = Problem(.conflict, detail: "a tenant with this id exists").response()
                    }
                } catch let error as KeyRingError {
                    response = Problem(.conflict, detail: "\(error)").response()
                } catch {
                    response = Problem(.serviceUnavailable, retryAfter: 1).response()
                }
            } else {
                // Anyone who reaches the listener can cause this: counted, one row per client IP and minute.
                services.denials.record(reason: "admin_unauthenticated", clientIP: request.peer.host)
                return Problem(.unauthenticated, detail: "admin token required").response()
            }
            call.status = response.status
            await onAudit(call)
            return response
        }
    }

    private func authenticate(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return tokens.tokens.admin(for: String(parts[1]))
    }

    /// The admin router: tenants, sessions, keys, and `GET /metrics` (no token). `extend` adds more routes (usage, audit) with `route`.
    public func makeRouter(extend: ((inout Router, AdminAPI) -> Void)? = nil) -> Router {
        var router = Router(middlewares: [RequestIDMiddleware(), SecurityHeadersMiddleware()])
        router.problemRenderer = SecurityHeadersMiddleware().rendering(Problem.render)
        route(&router, "GET", "/admin/v1/tenants", action: "admin.tenant.list") { _, _ in
            let tenants = try await services.tenants.list()
            return .json(200, AdminJSON.array(tenants.map(AdminJSON.tenant)))
        }
        route(&router, "POST", "/admin/v1/tenants", action: "admin.tenant.create") { request, _ in
            let body = try AdminJSON.object(request)
            guard let apiKey = body["apiKey"] as? String, !apiKey.isEmpty else {
                throw Problem(.validationFailed, invalidFields: [.init(name: "apiKey", reason: "required")])
            }
            let tenant = Tenant(
                id: body["id"] as? String ?? "", name: body["name"] as? String ?? "",
                weavrBaseURL: body["weavrBaseURL"] as? String ?? "",
                cardProfiles: try AdminJSON.profiles(body["cardProfiles"]) ?? Tenant.CardProfiles(),
                allowedOrigins: body["allowedOrigins"] as? [String] ?? [],
                sessionModes: try AdminJSON.modes(body["sessionModes"]) ?? [.cookie, .bearer],
                quotas: body["quotas"] as? [String: Int] ?? [:]
            )
            let created = try await services.tenants.create(tenant, weavrAPIKey: apiKey)
            return .json(201, AdminJSON.tenant(created).bytes)
        }
        route(&router, "GET", "/admin/v1/tenants/{id}", action: "admin.tenant.read") { request, _ in
            guard let tenant = try await services.tenants.get(request.pathParameters["id"] ?? "") else { throw Problem(.notFound) }
            return .json(200, AdminJSON.tenant(tenant).bytes)
        }
        route(&router, "PATCH", "/admin/v1/tenants/{id}", action: "admin.tenant.update") { request, _ in
            let body = try AdminJSON.object(request)
            let profiles = try AdminJSON.profiles(body["cardProfiles"])
            // A PATCH naming `cardProfiles.transfer` sets it (null removes it); without it the profile stays.
            // Likewise `prepaid` and `debit`: a PATCH of the transfer profile alone leaves the card tables.
            let given = Set((body["cardProfiles"] as? [String: Any])?.keys.map { $0 } ?? [])
            let transferGiven = given.contains("transfer")
            let update = TenantUpdate(
                name: body["name"] as? String, weavrBaseURL: body["weavrBaseURL"] as? String,
                cardProfiles: given == ["transfer"] ? nil : profiles,
                allowedOrigins: body["allowedOrigins"] as? [String],
                sessionModes: try AdminJSON.modes(body["sessionModes"]),
                quotas: body["quotas"] as? [String: Int],
                weavrAPIKey: body["apiKey"] as? String,
                transferProfile: transferGiven ? (profiles?.transfer ?? "") : nil
            )
            let updated = try await services.tenants.update(request.pathParameters["id"] ?? "", update)
            return .json(200, AdminJSON.tenant(updated).bytes)
        }
        for (verb, status) in [("suspend", Tenant.Status.suspended), ("activate", .active)] {
            route(&router, "POST", "/admin/v1/tenants/{id}/\(verb)", action: "admin.tenant.\(verb)") { request, _ in
                let tenant = try await services.tenants.setStatus(request.pathParameters["id"] ?? "", status)
                return .json(200, AdminJSON.tenant(tenant).bytes)
            }
        }
        route(&router, "DELETE", "/admin/v1/tenants/{id}", action: "admin.tenant.delete") { request, _ in
            try await services.tenants.delete(request.pathParameters["id"] ?? "")
            return HTTPResponse(status: 204)
        }
        route(&router, "GET", "/admin/v1/tenants/{id}/sessions", action: "admin.session.list") { request, _ in
            let sessions = try await services.sessions.list(tenantID: request.pathParameters["id"] ?? "")
            return .json(200, AdminJSON.array(sessions.map(AdminJSON.session)))
        }
        route(&router, "DELETE", "/admin/v1/tenants/{id}/sessions", action: "admin.session.revoke_all") { request, _ in
            let count = try await services.sessions.revokeAll(tenantID: request.pathParameters["id"] ?? "")
            return .json(200, "{\"revoked\":\(count)}")
        }
        route(&router, "DELETE", "/admin/v1/tenants/{id}/sessions/{sid}", action: "admin.session.revoke") { request, _ in
            let tenant = request.pathParameters["id"] ?? ""
            let sid = request.pathParameters["sid"] ?? ""
            services.weavrAccess.forgetToken(sid: sid)
            guard try await services.sessions.revoke(sid: sid, tenantID: tenant) else { throw Problem(.notFound) }
            return HTTPResponse(status: 204)
        }
        route(&router, "GET", "/admin/v1/keys", action: "admin.key.list") { _, _ in
            let keys = try await services.keyStore.list()
            return .json(200, AdminJSON.array(keys.map(AdminJSON.key)))
        }
        route(&router, "POST", "/admin/v1/keys/rotate", action: "admin.key.rotate") { _, _ in
            let key = try await services.keyRing.rotate()
            return .json(201, AdminJSON.key(key).bytes)
        }
        route(&router, "POST", "/admin/v1/keys/{kid}/retire", action: "admin.key.retire") { request, _ in
            let key = try await services.keyRing.retire(request.pathParameters["kid"] ?? "")
            return .json(200, AdminJSON.key(key).bytes)
        }
        addAuditRoutes(to: &router)
        addCheckpointRoutes(to: &router)
        AdminConsole(api: self).register(on: &router)
        // Unauthenticated and not audited, for Prometheus: the admin listener must stay private.
        MetricsRoutes.register(on: &router, metrics: services.metrics)
        extend?(&router, self)
        return router
    }
}
