public import NIOFreeHTTP
public import Storage
import Synchronization
public import Upstream

/// The gateway's Prometheus metrics: HTTP requests, Weavr calls, circuit breakers, quota and rate-limit
/// refusals, the database writer, connections and the process. `render()` is the `/metrics` body.
///
/// Every label set is bounded: `route` is the matched route pattern (never a raw path; `unmatched` for 404s),
/// `method` one of the standard methods or `other`, `tenant` only ids of authenticated tenants and at most
/// `maxTenants` of them (then `other`), Weavr `operation`s are path templates; and each family caps its
/// series count on top of that.
public final class GatewayMetrics: Sendable {
    /// Distinct tenant label values before the rest are counted as `other`. Default 1,000.
    public let maxTenants: Int

    public let httpRequests = MetricFamily(
        "weavr_gateway_http_requests_total", help: "HTTP requests answered, by route pattern, method, status and tenant.",
        kind: .counter, labels: ["route", "method", "status", "tenant"], maxSeries: 20_000
    )
    public let httpDuration = HistogramFamily(
        "weavr_gateway_http_request_duration_seconds", help: "Time from a complete request head to the response, by route pattern.",
        labels: ["route"]
    )
    public let upstreamRequests = MetricFamily(
        "weavr_gateway_upstream_requests_total", help: "Weavr API attempts by operation and outcome (ok, client_error, rate_limited, server_error, timeout, unavailable, circuit_open, invalid_response).",
        kind: .counter, labels: ["operation", "outcome"], maxSeries: 1_000
    )
    public let upstreamDuration = HistogramFamily(
        "weavr_gateway_upstream_duration_seconds", help: "Duration of one Weavr API attempt, by operation.",
        labels: ["operation"], maxSeries: 200
    )
    public let quotaDenials = MetricFamily(
        "weavr_gateway_quota_denials_total", help: "Operations refused by a tenant's daily quota.",
        kind: .counter, labels: ["tenant", "operation"], maxSeries: 10_000
    )
    public let rateLimited = MetricFamily(
        "weavr_gateway_rate_limited_total", help: "Requests refused with 429 by a request-rate limit, by tenant and scope (tenant, session).",
        kind: .counter, labels: ["tenant", "scope"], maxSeries: 5_000
    )
    public let accessDenials = MetricFamily(
        "weavr_gateway_access_denials_total", help: "Requests refused before any session or Weavr call (bad tokens, CSRF, login limits, unknown tenants, admin tokens), by reason.",
        kind: .counter, labels: ["reason"], maxSeries: 100
    )
    public let writeDuration = HistogramFamily(
        "weavr_gateway_audit_write_seconds", help: "Duration of one database write transaction (audit log, quotas, sessions; BEGIN to COMMIT including fsync).",
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    )
    public let batchSize = HistogramFamily(
        "weavr_gateway_audit_batch_size", help: "Write jobs committed together in one transaction (group commit).",
        buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    )

    private let circuitState = MetricFamily(
        "weavr_gateway_upstream_circuit_state", help: "Circuit breaker per Weavr base URL: 0 closed, 1 half-open, 2 open.",
        kind: .gauge, labels: ["base_url"], maxSeries: 1_000
    )
    private let circuitOpenings = MetricFamily(
        "weavr_gateway_upstream_circuit_openings_total", help: "Times a Weavr base URL's circuit opened.",
        kind: .counter, labels: ["base_url"], maxSeries: 1_000
    )
    private let transactions = MetricFamily(
        "weavr_gateway_audit_transactions_total", help: "Database write transactions committed.", kind: .counter
    )
    private let unflushedTransactions = MetricFamily(
        "weavr_gateway_audit_unflushed_transactions_total",
        help: "Of those, the ones committed without an fsync of their own (only Idempotency-Key claims ask for it).",
        kind: .counter
    )
    private let jobsCommitted = MetricFamily(
        "weavr_gateway_audit_jobs_committed_total", help: "Database write jobs committed.", kind: .counter
    )
    private let jobsFailed = MetricFamily(
        "weavr_gateway_audit_jobs_failed_total", help: "Database write jobs that failed.", kind: .counter
    )
    private let largestBatch = MetricFamily(
        "weavr_gateway_audit_largest_batch", help: "The most write jobs committed by one transaction since start.", kind: .gauge
    )
    private let pendingWrites = MetricFamily(
        "weavr_gateway_audit_pending_writes", help: "Write jobs waiting for the writer thread.", kind: .gauge
    )
    private let loopConnectionsUp = MetricFamily(
        "weavr_gateway_db_loop_connections_up",
        help: "PostgreSQL connections of the event loops' own (the reads every request makes) that are up now; 0 on SQLite.",
        kind: .gauge
    )
    private let loopStatements = MetricFamily(
        "weavr_gateway_db_loop_statements_total",
        help: "Statements answered on the event loops' own PostgreSQL connections (the rest ran on reader threads).",
        kind: .counter
    )
    private let openConnections = MetricFamily(
        "weavr_gateway_open_connections", help: "Open client connections per listener.", kind: .gauge, labels: ["listener"], maxSeries: 10
    )
    private let residentMemory = MetricFamily(
        "process_resident_memory_bytes", help: "Resident memory size in bytes.", kind: .gauge
    )
    private let openFDs = MetricFamily(
        "process_open_fds", help: "Number of open file descriptors.", kind: .gauge
    )

    private let tenants = Mutex<Set<String>>([])
    private let servers = Mutex<[(listener: String, server: HTTPServer)]>([])
    private let database: Database?
    private let circuits: @Sendable () -> [String: (state: CircuitBreaker.State, timesOpened: Int)]

    /// `circuits` lists each Weavr base URL's breaker at scrape time.
    public init(
        database: Database?, maxTenants: Int = 1_000,
        circuits: @escaping @Sendable () -> [String: (state: CircuitBreaker.State, timesOpened: Int)] = { [:] }
    ) {
        self.database = database
        self.maxTenants = maxTenants
        self.circuits = circuits
        database?.observeCommits { [writeDuration, batchSize] commit in
            writeDuration.observe(commit.duration.seconds)
            batchSize.observe(Double(commit.jobs))
        }
    }

    /// Reports `server`'s open connections as `weavr_gateway_open_connections{listener=…}`.
    public func observe(server: HTTPServer, listener: String) {
        servers.withLock { servers in
            servers.removeAll { $0.listener == listener }
            servers.append((listener, server))
        }
    }

    /// Counts one answered request.
    public func recordRequest(route: String?, method: String, status: Int, tenant: String?, seconds: Double) {
        let route = route ?? "unmatched"
        httpRequests.add(1, labels: MetricLabels(route, Self.methodLabel(method), Self.statusLabel(status), tenantLabel(tenant)))
        httpDuration.observe(seconds, labels: MetricLabels(route))
    }

    /// Records one Weavr attempt (install as `WeavrClient.Configuration.observer`).
    public func recordUpstream(_ observation: WeavrCallObservation) {
        upstreamRequests.add(1, labels: MetricLabels(observation.operation, observation.outcome))
        if observation.outcome != "circuit_open" {
            upstreamDuration.observe(observation.duration.seconds, labels: MetricLabels(observation.operation))
        }
    }

    /// Counts an operation refused by `tenant`'s daily quota (`operation`: `cards.issue`, `cards.block`, …).
    public func recordQuotaDenial(tenant: String, operation: String) {
        quotaDenials.add(1, [tenantLabel(tenant), operation])
    }

    /// Counts an anonymous refusal (`DenialLedger`), by reason.
    public func recordAccessDenial(reason: String) {
        accessDenials.add(1, [reason])
    }

    /// Counts a 429 from a request-rate limit; `scope` is `tenant` or `session`.
    public func recordRateLimited(tenant: String, scope: String) {
        rateLimited.add(1, [tenantLabel(tenant), scope])
    }

    /// The label for `tenant`: the id while fewer than `maxTenants` distinct ids were seen, else `other`;
    /// `none` for unauthenticated requests.
    func tenantLabel(_ tenant: String?) -> String {
        guard let tenant, !tenant.isEmpty else { return "none" }
        return tenants.withLock { seen in
            if seen.contains(tenant) { return tenant }
            guard seen.count < maxTenants else { return "other" }
            seen.insert(tenant)
            return tenant
        }
    }

    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET": "GET"
        case "POST": "POST"
        case "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS": method
        default: "other"
        }
    }

    /// The status as text: the common ones without formatting a number.
    static func statusLabel(_ status: Int) -> String {
        switch status {
        case 200: "200"
        case 201: "201"
        case 204: "204"
        case 304: "304"
        case 400: "400"
        case 401: "401"
        case 403: "403"
        case 404: "404"
        case 429: "429"
        default: String(status)
        }
    }

    /// The exposition text (format 0.0.4); gauges are read now.
    public func render() -> String {
        refreshGauges()
        var text = PrometheusText()
        for family in [httpRequests, upstreamRequests, quotaDenials, rateLimited, accessDenials, circuitState, circuitOpenings,
                       transactions, unflushedTransactions, jobsCommitted, jobsFailed, largestBatch, pendingWrites,
                       loopConnectionsUp, loopStatements, openConnections,
                       residentMemory, openFDs] {
            family.write(to: &text)
        }
        for histogram in [httpDuration, upstreamDuration, writeDuration, batchSize] {
            histogram.write(to: &text)
        }
        return text.output
    }

    private func refreshGauges() {
        let circuits = circuits()
        circuitState.replaceAll(circuits.mapValues { Self.stateValue($0.state) }.reduce(into: [:]) { $0[[$1.key]] = $1.value })
        circuitOpenings.replaceAll(circuits.reduce(into: [:]) { $0[[$1.key]] = Double($1.value.timesOpened) })
        if let database {
            let statistics = database.statistics
            transactions.set(Double(statistics.transactionsCommitted))
            unflushedTransactions.set(Double(statistics.unflushedTransactions))
            jobsCommitted.set(Double(statistics.jobsCommitted))
            jobsFailed.set(Double(statistics.jobsFailed))
            largestBatch.set(Double(statistics.largestBatch))
            pendingWrites.set(Double(database.pendingWrites))
            loopConnectionsUp.set(Double(database.eventLoopConnectionsUp))
            loopStatements.set(Double(database.eventLoopQueries))
        }
        let servers = servers.withLock { $0 }
        openConnections.replaceAll(servers.reduce(into: [:]) { $0[[$1.listener]] = Double($1.server.openConnections) })
        residentMemory.set(ProcessStatistics.residentMemoryBytes())
        openFDs.set(ProcessStatistics.openFileDescriptors())
    }

    static func stateValue(_ state: CircuitBreaker.State) -> Double {
        switch state {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}

extension Duration {
    /// This duration in seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
