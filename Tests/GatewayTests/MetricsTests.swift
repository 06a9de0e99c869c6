import Foundation
@testable import Gateway
import NIOFreeHTTP
import Testing
import TestSupport
import Upstream

/// `/metrics` on the admin listener: real Prometheus text, counters that move with real requests, bounded labels.
@Suite("Metrics")
struct MetricsTests {
    @Test func theScrapeParsesWithPrometheusClientAndCountsRealRequests() async throws {
        let observed = try await ObservedGateway()
        let token = try await observed.login()
        #expect(try await observed.call("GET", "/v1/cards", token: token).status == 200)
        #expect(try await observed.call("GET", "/v1/cards/\(GatewayHarness.Seed.fundedEUR)", token: token).status == 200)
        #expect(try await observed.call("GET", "/no/such/path/12345").status == 404)
        observed.gateway.services.metrics.recordQuotaDenial(tenant: "acme", operation: "cards.issue")

        let reply = try await observed.scrape()
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let samples = try await PrometheusParser.parse(reply.text, directory: observed.gateway.directory)

        let cards = ["route": "/v1/cards", "method": "GET", "status": "200", "tenant": "acme"]
        #expect(samples.value("weavr_gateway_http_requests_total", cards) == 1)
        #expect(samples.value("weavr_gateway_http_requests_total", ["route": "/v1/cards/{id}", "tenant": "acme"]) == 1)
        #expect(samples.value("weavr_gateway_http_requests_total", ["route": "/v1/auth/login", "status": "200", "tenant": "acme"]) == 1)
        #expect(samples.value("weavr_gateway_http_requests_total", ["route": "unmatched", "status": "404", "tenant": "none"]) == 1)
        #expect(samples.value("weavr_gateway_http_request_duration_seconds_count", ["route": "/v1/cards"]) == 1)
        #expect(samples.value("weavr_gateway_http_request_duration_seconds_bucket", ["route": "/v1/cards", "le": "+Inf"]) == 1)
        #expect(samples.value("weavr_gateway_upstream_requests_total", ["operation": "GET /managed_cards", "outcome": "ok"]) == 1)
        #expect(samples.value("weavr_gateway_upstream_requests_total", ["operation": "GET /managed_cards/{id}", "outcome": "ok"]) == 1)
        #expect(samples.value("weavr_gateway_upstream_duration_seconds_count", ["operation": "POST /login_with_password"]) == 1)
        #expect(samples.value("weavr_gateway_upstream_circuit_state") == 0)
        #expect(samples.value("weavr_gateway_quota_denials_total", ["tenant": "acme", "operation": "cards.issue"]) == 1)
        #expect((samples.value("weavr_gateway_audit_batch_size_count") ?? 0) >= 1)
        #expect((samples.value("weavr_gateway_audit_write_seconds_count") ?? 0) >= 1)
        #expect((samples.value("weavr_gateway_audit_transactions_total") ?? 0) >= 1)
        #expect((samples.value("weavr_gateway_audit_largest_batch") ?? 0) >= 1)
        #expect((samples.value("weavr_gateway_open_connections", ["listener": "admin"]) ?? 0) >= 1)
        #expect((samples.value("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((samples.value("process_open_fds") ?? 0) > 3)
        // Route labels are patterns: no raw path or id ever becomes a label value.
        #expect(!samples.contains { $0.labels.values.contains { $0.contains(GatewayHarness.Seed.fundedEUR) || $0.contains("12345") } })

        // A second request moves the counter by exactly one.
        #expect(try await observed.call("GET", "/v1/cards", token: token).status == 200)
        let again = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        #expect(again.value("weavr_gateway_http_requests_total", cards) == 2)
        await observed.shutdown()
    }

    /// An `Idempotency-Key`'s claim commits without an fsync of its own; the intent and outcome rows with one.
    /// SQLite only (also in the suite's PostgreSQL pass): PostgreSQL flushes every commit.
    @Test func idempotencyClaimsAreTheUnflushedTransactions() async throws {
        let observed = try await ObservedGateway(backend: .sqlite)
        let token = try await observed.login()
        let before = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        #expect(before.value("weavr_gateway_audit_unflushed_transactions_total") == 0)
        for (index, action) in ["block", "unblock", "block"].enumerated() {
            let reply = try await observed.gateway.call(
                "POST", "/v1/cards/\(GatewayHarness.Seed.fundedEUR)/\(action)", token: token, headers: ["idempotency-key": "metrics-\(index)"]
            )
            #expect(reply.status == 200)
        }
        let after = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        let unflushed = try #require(after.value("weavr_gateway_audit_unflushed_transactions_total"))
        let transactions = try #require(after.value("weavr_gateway_audit_transactions_total"))
        // Three claims, each alone in its batch unless a flushed write shared it (then it was flushed with it).
        #expect(unflushed >= 1 && unflushed <= 3)
        // The intent and outcome rows of each block are flushed: at least six flushed commits more.
        #expect(transactions - unflushed >= (before.value("weavr_gateway_audit_transactions_total") ?? 0) + 6)
        await observed.shutdown()
    }

    /// The event loops' own PostgreSQL connections: up, and answering the reads of a card read; none on SQLite.
    @Test(arguments: StoreBackend.allCases)
    func loopConnectionsAreCountedOnPostgreSQL(backend: StoreBackend) async throws {
        let observed = try await ObservedGateway(backend: backend)
        let token = try await observed.login()
        let before = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        #expect(try await observed.gateway.call("GET", "/v1/cards/\(GatewayHarness.Seed.fundedEUR)", token: token).status == 200)
        let after = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        let statementsBefore = try #require(before.value("weavr_gateway_db_loop_statements_total"))
        let statementsAfter = try #require(after.value("weavr_gateway_db_loop_statements_total"))
        switch backend {
        case .sqlite:
            #expect(after.value("weavr_gateway_db_loop_connections_up") == 0)
            #expect(statementsAfter == 0)
        case .postgres:
            // The harness gives each of its two loops one connection.
            #expect(after.value("weavr_gateway_db_loop_connections_up") == 2)
            // The card read's session row and its rate buckets: two statements (unless a reader took one while a
            // connection was still coming up).
            #expect(statementsAfter >= statementsBefore + 1)
        }
        await observed.shutdown()
    }

    @Test func metricsNeedNoAdminTokenButTheAdminAPIStillDoes() async throws {
        let observed = try await ObservedGateway()
        #expect(try await observed.call("GET", "/metrics", admin: true).status == 200)
        #expect(try await observed.call("GET", "/admin/v1/tenants", admin: true).status == 401)
        #expect(try await observed.call("GET", "/metrics").status == 404)  // not on the public listener
        await observed.shutdown()
    }

    @Test func requestsRefusedByTheSessionRateCountAsRateLimited() async throws {
        var settings = GatewayServices.Settings()
        settings.sessionRequestsPerMinute = 2
        let observed = try await ObservedGateway(settings: settings)
        let token = try await observed.login()
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(try await observed.call("GET", "/v1/accounts", token: token).status) }
        #expect(statuses.filter { $0 == 429 }.count == 2)
        let samples = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        #expect(samples.value("weavr_gateway_rate_limited_total", ["tenant": "acme", "scope": "session"]) == 2)
        #expect(samples.value("weavr_gateway_http_requests_total", ["route": "/v1/accounts", "status": "429"]) == 2)
        await observed.shutdown()
    }

    @Test func tenantLabelsStopAtTheCapAndBecomeOther() {
        let metrics = GatewayMetrics(database: nil, maxTenants: 3)
        for index in 0..<50 {
            metrics.recordRequest(route: "/v1/cards", method: "GET", status: 200, tenant: "tenant-\(index)", seconds: 0.01)
        }
        #expect(metrics.httpRequests.seriesCount == 4)
        #expect(metrics.httpRequests.value(["/v1/cards", "GET", "200", "other"]) == 47)
        #expect(metrics.httpRequests.value(["/v1/cards", "GET", "200", "tenant-0"]) == 1)
    }

    @Test func everyFamilyCapsItsSeriesAndUnknownMethodsCollapse() {
        let family = MetricFamily("t_total", help: "t", kind: .counter, labels: ["a"], maxSeries: 10)
        for index in 0..<1_000 { family.add(1, ["v\(index)"]) }
        #expect(family.seriesCount == 10)
        #expect(family.value(["other"]) == 991)
        let metrics = GatewayMetrics(database: nil)
        metrics.recordRequest(route: nil, method: "BREW", status: 405, tenant: nil, seconds: 0)
        #expect(metrics.httpRequests.value(["unmatched", "other", "405", "none"]) == 1)
    }

    @Test func unmatchedPathsShareOneRouteLabelOverSockets() async throws {
        let observed = try await ObservedGateway()
        for index in 0..<40 { _ = try await observed.call("GET", "/random/\(index)/\(UUID().uuidString)") }
        let samples = try await PrometheusParser.parse(try await observed.scrape().text, directory: observed.gateway.directory)
        let routes = Set(samples.filter { $0.name == "weavr_gateway_http_requests_total" }.compactMap { $0.labels["route"] })
        #expect(routes == ["unmatched"])
        #expect(samples.value("weavr_gateway_http_requests_total", ["route": "unmatched"]) == 40)
        await observed.shutdown()
    }

    @Test(arguments: [
        ("GET", "/managed_cards/123/block", "GET /managed_cards/{id}/block"),
        ("GET", "/managed_cards/abc", "GET /managed_cards/{id}"),
        ("POST", "/bulks/managed_cards/_id_/block", "POST /bulks/managed_cards/_id_/block"),
        ("GET", "/bulks/9/operations", "GET /bulks/{id}/operations"),
        ("POST", "/users/42/invite", "POST /users/{id}/invite"),
        ("POST", "/login_with_password", "POST /login_with_password"),
    ])
    func upstreamOperationsAreTemplates(method: String, path: String, operation: String) {
        #expect(WeavrCallObservation.operationLabel(method: method, path: path) == operation)
    }

    @Test func textEscapesLabelValuesAndHelp() async throws {
        let family = MetricFamily("e_total", help: "back\\slash\nnewline", kind: .counter, labels: ["v"])
        family.add(2, ["quote\" back\\ nl\n"])
        var text = PrometheusText()
        family.write(to: &text)
        #expect(text.output.contains(#"e_total{v="quote\" back\\ nl\n"} 2"#))
        let samples = try await PrometheusParser.parse(text.output, directory: NSTemporaryDirectory())
        #expect(samples.value("e_total") == 2)
        #expect(samples.first?.labels["v"] == "quote\" back\\ nl\n")
    }
}
