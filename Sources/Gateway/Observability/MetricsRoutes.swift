public import NIOFreeHTTP

/// `GET /metrics`: the Prometheus text exposition (format 0.0.4).
///
/// Served on the admin listener without the admin token so Prometheus can scrape it: the admin listener must
/// stay on loopback or a private network (the metrics name tenants and Weavr base URLs, nothing secret).
public enum MetricsRoutes {
    /// Adds `GET /metrics` for `metrics` to `router`.
    public static func register(on router: inout Router, metrics: GatewayMetrics) {
        router.get("/metrics") { _, _ in
            var headers = HTTPHeaders()
            headers.add("content-type", PrometheusText.contentType)
            headers.add("cache-control", "no-store")
            return HTTPResponse(status: 200, headers: headers, body: Array(metrics.render().utf8))
        }
    }
}
