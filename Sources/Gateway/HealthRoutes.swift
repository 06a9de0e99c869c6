public import NIOFreeHTTP

/// `GET /healthz`: the process is up and its event loops answer.
public enum HealthRoutes {
    /// Adds the health routes to `router`.
    public static func register(on router: inout Router) {
        // Answered on the event loop as it is parsed, without a worker task (`Router.immediate`).
        router.immediate("GET", "/healthz") { _, _ in
            HTTPResponse.json(200, healthBody)
        }
    }

    private static let healthBody = Array(#"{"status":"ok"}"#.utf8)
}
