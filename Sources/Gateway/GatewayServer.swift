public import NIOFreeHTTP

/// Builds the gateway's public HTTP server: routes and middlewares on top of NIOFreeHTTP.
public enum GatewayServer {
    /// The public router: request id, access log hook, then routes.
    public static func makeRouter(accessLog: (@Sendable (AccessLogEntry) -> Void)? = nil) -> Router {
        var router = Router(middlewares: [RequestIDMiddleware()])
        if let accessLog { router.use(AccessLogMiddleware(accessLog)) }
        HealthRoutes.register(on: &router)
        return router
    }
}
