public import Logging
public import NIOFreeHTTP

/// Builds the gateway's public HTTP server: routes and middlewares on top of NIOFreeHTTP.
public enum GatewayServer {
    /// The router of a gateway without a database: request id, security headers, the access log, `/healthz`,
    /// `/readyz` and `/openapi.json` — nothing that needs a store.
    public static func healthRouter(
        accessLog: (@Sendable (AccessLogEntry) -> Void)? = nil, accessLogger: Logger? = nil,
        accessLogEnabled: @escaping @Sendable () -> Bool = { true }, hstsMaxAgeSeconds: Int? = nil
    ) -> Router {
        baseRouter(services: nil, accessLog: accessLog, accessLogger: accessLogger, accessLogEnabled: accessLogEnabled, hstsMaxAgeSeconds: hstsMaxAgeSeconds)
    }

    /// The public router: request id, security headers (`hstsMaxAgeSeconds` when the listener speaks TLS),
    /// metrics and the JSON access log (`accessLogger`), the plain access-log hook (`accessLog`), health and
    /// readiness, the OpenAPI document, CORS, login and the `/v1` pipeline (docs/ARCHITECTURE.md, "The request
    /// pipeline").
    public static func makeRouter(
        services: GatewayServices, accessLog: (@Sendable (AccessLogEntry) -> Void)? = nil, accessLogger: Logger? = nil,
        accessLogEnabled: @escaping @Sendable () -> Bool = { true }, hstsMaxAgeSeconds: Int? = nil
    ) -> Router {
        var router = baseRouter(services: services, accessLog: accessLog, accessLogger: accessLogger, accessLogEnabled: accessLogEnabled, hstsMaxAgeSeconds: hstsMaxAgeSeconds)
        router.use(CORSMiddleware(origins: AllowedOrigins(tenants: services.tenants, generation: { services.storeChanges.generation })))
        let auth = AuthRoutes(services: services)
        auth.registerLogin(on: &router)
        let credentials = CredentialRoutes(auth: auth)
        credentials.registerPublic(on: &router)
        WebhookRoutes(services: services).register(on: &router)
        let v1 = auth.v1
        v1.register(on: &router) { routes in
            auth.register(on: &routes)
            credentials.register(on: &routes)
            CardsRoutes(v1: v1).register(on: &routes)
            AccountsRoutes(v1: v1).register(on: &routes)
            TransfersRoutes(v1: v1).register(on: &routes)
            StatementsRoutes(v1: v1).register(on: &routes)
            CardControlsRoutes(v1: v1).register(on: &routes)
            RevealRoutes(v1: v1, sessions: services.revealSessions, lifetime: services.settings.revealLifetime).register(on: &routes)
            UsersRoutes(v1: v1).register(on: &routes)
            BulkRoutes(v1: v1).register(on: &routes)
            EventsRoutes(services: services).register(on: &routes)
        }
        return router
    }

    private static func baseRouter(
        services: GatewayServices?, accessLog: (@Sendable (AccessLogEntry) -> Void)?, accessLogger: Logger?,
        accessLogEnabled: @escaping @Sendable () -> Bool, hstsMaxAgeSeconds: Int?
    ) -> Router {
        let securityHeaders = SecurityHeadersMiddleware(hstsMaxAgeSeconds: hstsMaxAgeSeconds)
        var router = Router(middlewares: [RequestIDMiddleware(), securityHeaders])
        router.problemRenderer = securityHeaders.rendering(Problem.render)
        if services != nil || accessLogger != nil {
            router.use(ObservabilityMiddleware(metrics: services?.metrics, accessLog: accessLogger, accessLogEnabled: accessLogEnabled))
        }
        if let accessLog { router.use(AccessLogMiddleware(accessLog)) }
        HealthRoutes.register(on: &router)
        ReadinessRoutes.register(on: &router, services: services)
        OpenAPIRoutes.register(on: &router)
        return router
    }
}
