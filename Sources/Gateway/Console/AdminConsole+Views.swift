import Audit
import Auth
import GatewayCore
import NIOFreeHTTP

extension AdminConsole {
    /// What an audit page is focused on.
    enum Focus {
        case card(String)
        case actor(String)
    }

    /// The search filters from the URL: `tenant`, `actor`, `action`, `target`, `outcome`, `since`, `until`
    /// (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`), `cursor`.
    struct Filters {
        var fields: [(name: String, value: String)] = []
        var filter = AuditFilter()
        var errors: [String] = []

        init(_ request: HTTPRequest, focus: Focus?) {
            func take(_ name: String) -> String? {
                guard let value = request.queryParameter(name), !value.isEmpty else { return nil }
                fields.append((name, value))
                return value
            }
            filter.tenant = take("tenant")
            filter.actor = take("actor")
            filter.action = take("action")
            filter.target = take("target")
            if let outcome = take("outcome") {
                if let value = AuditOutcome(rawValue: outcome) { filter.outcome = value } else { errors.append("outcome must be one of " + AuditOutcome.allCases.map(\.rawValue).joined(separator: ", ")) }
            }
            for (name, keyPath) in [("since", \AuditFilter.from), ("until", \AuditFilter.to)] {
                if let text = take(name) {
                    if let value = AuditTimestamp.parse(text) { filter[keyPath: keyPath] = value } else { errors.append("\(name) must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ") }
                }
            }
            switch focus {
            case .card(let id): filter.target = id
            case .actor(let id): filter.actor = id
            case nil: break
            }
            if let cursor = request.queryParameter("cursor") {
                if let seq = Int64(cursor), seq >= 0 { filter.afterSeq = seq } else { errors.append("cursor must come from a page's Next link") }
            }
        }

        func value(_ name: String) -> String { fields.first { $0.name == name }?.value ?? "" }

        /// The filters (not the cursor) as a query string, already escaped for an attribute.
        func query(adding extra: [(String, String)] = []) -> String {
            (fields + extra.map { (name: $0.0, value: $0.1) }).map { HTMLText.queryComponent($0.name) + "=" + HTMLText.queryComponent($0.value) }.joined(separator: "&amp;")
        }
    }

    func auditPage(_ request: HTTPRequest, _ viewer: Viewer, heading focus: Focus?) async throws -> HTTPResponse {
        let filters = Filters(request, focus: focus)
        guard filters.errors.isEmpty else {
            let list = filters.errors.map { "<li>\(HTMLText.escape($0))</li>" }.joined()
            return ConsolePage.render(title: "Audit log", main: "<ul class=\"error\" role=\"alert\">\(list)</ul>" + filterForm(filters, action: request.path), signedIn: viewer.signedIn, status: 422)
        }
        let page = try await services.audit.query(filters.filter, limit: 50)
        var title = "Audit log"
        var intro = ""
        switch focus {
        case .card(let id):
            title = "Card \(id)"
            intro = "<p>Every row whose target is this card, oldest first: issued, limits, blocks and unblocks, transfers, Weavr-side events, destroyed.</p>"
        case .actor(let id):
            title = "Actor \(id)"
            intro = "<p>Everything this actor did, oldest first.</p>"
        case nil: break
        }
        var main = intro + filterForm(filters, action: request.path)
        let exportQuery = filters.query()
        let separator = exportQuery.isEmpty ? "" : "&amp;"
        var exportFilters = filters.query(adding: [])
        if case .card(let id) = focus { exportFilters = (exportFilters.isEmpty ? "" : exportFilters + "&amp;") + "target=" + HTMLText.queryComponent(id) }
        if case .actor(let id) = focus { exportFilters = (exportFilters.isEmpty ? "" : exportFilters + "&amp;") + "actor=" + HTMLText.queryComponent(id) }
        let exportSeparator = exportFilters.isEmpty ? "" : "&amp;"
        main += """
            <p class="actions">Export these filters: \
            <a href="/admin/console/export?\(exportFilters)\(exportSeparator)format=csv" download>CSV</a> \
            <a href="/admin/console/export?\(exportFilters)\(exportSeparator)format=ndjson" download>NDJSON</a></p>
            """
        main += table(page.records)
        if let next = page.nextCursor {
            main += "<p><a rel=\"next\" href=\"\(HTMLText.escape(request.path))?\(exportQuery)\(separator)cursor=\(next)\">Next 50 rows</a></p>"
        } else {
            main += "<p>End of the matching rows.</p>"
        }
        return ConsolePage.render(title: title, main: main, signedIn: viewer.signedIn)
    }

    private func filterForm(_ filters: Filters, action: String) -> String {
        func input(_ name: String, _ label: String, placeholder: String = "") -> String {
            "<label for=\"f-\(name)\">\(label)<input id=\"f-\(name)\" name=\"\(name)\" value=\"\(HTMLText.escape(filters.value(name)))\" placeholder=\"\(placeholder)\"></label>"
        }
        let outcome = filters.value("outcome")
        let options = ([""] + AuditOutcome.allCases.map(\.rawValue)).map { value in
            "<option value=\"\(value)\"\(value == outcome ? " selected" : "")>\(value.isEmpty ? "any" : value)</option>"
        }.joined()
        return """
            <form method="get" action="\(HTMLText.escape(action))" class="filters" role="search" aria-label="Filter the audit log">
            \(input("tenant", "Tenant"))\(input("actor", "Actor", placeholder: "user id or admin:NAME"))\(input("action", "Action", placeholder: "card.block or admin.*"))\
            \(input("target", "Target", placeholder: "card id"))\
            <label for="f-outcome">Outcome<select id="f-outcome" name="outcome">\(options)</select></label>\
            \(input("since", "From (UTC)", placeholder: "2026-01-31"))\(input("until", "Before (UTC)", placeholder: "2026-02-01T00:00:00Z"))
            <div class="actions"><button type="submit">Search</button> <a href="/admin/console/audit">Clear</a></div>
            </form>
            """
    }

    private func table(_ records: [AuditRecord]) -> String {
        guard !records.isEmpty else { return "<p>No rows match.</p>" }
        var html = """
            <table><caption class="skip">Audit rows</caption><thead><tr><th scope="col">Seq</th><th scope="col">Time (UTC)</th><th scope="col">Tenant</th>\
            <th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">HTTP</th>\
            <th scope="col">Weavr</th><th scope="col">Client IP</th><th scope="col">Details</th></tr></thead><tbody>
            """
        for record in records {
            let actor = "<a href=\"/admin/console/actors/\(HTMLText.queryComponent(record.actor))\">\(HTMLText.escape(record.actor))</a>"
            let target = record.target.map { "<a href=\"/admin/console/cards/\(HTMLText.queryComponent($0))\">\(HTMLText.escape($0))</a>" } ?? ""
            html += "<tr><td>\(record.seq)</td><td>\(HTMLText.escape(AuditTimestamp.format(record.time)))</td><td>\(HTMLText.escape(record.tenant ?? ""))</td>"
            html += "<td>\(actor)</td><td>\(HTMLText.escape(record.action))</td><td>\(target)</td>"
            html += "<td class=\"outcome-\(HTMLText.escape(record.outcome))\">\(HTMLText.escape(record.outcome))</td>"
            html += "<td>\(record.httpStatus.map { String($0) } ?? "")</td><td>\(record.upstreamStatus.map { String($0) } ?? "") \(HTMLText.escape(record.upstreamRequestRef ?? ""))</td>"
            html += "<td>\(HTMLText.escape(record.clientIP ?? ""))</td><td class=\"mono\">\(HTMLText.escape(record.details))</td></tr>\n"
        }
        return html + "</tbody></table>"
    }

    /// The current filter as CSV or NDJSON, streamed like the admin API's export (`AdminAPI.streamedExport`).
    func exportResponse(_ request: HTTPRequest) throws -> HTTPResponse {
        let filters = Filters(request, focus: nil)
        guard filters.errors.isEmpty else { throw Problem(.validationFailed, detail: filters.errors.joined(separator: "; ")) }
        let format: AuditExportFormat
        switch request.queryParameter("format") ?? "ndjson" {
        case "csv": format = .csv
        case "ndjson": format = .ndjson
        default: throw Problem(.validationFailed, detail: "format must be csv or ndjson")
        }
        var headers = ConsolePage.headers(contentType: format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
        headers.add("content-disposition", "attachment; filename=\"audit.\(format.rawValue == "csv" ? "csv" : "ndjson")\"")
        return AdminAPI.streamedExport(services.audit, filters.filter, format: format, headers: headers)
    }

    func chainPage(_ viewer: Viewer) async throws -> HTTPResponse {
        var main = "<section class=\"card\" aria-labelledby=\"h-verify\"><h2 id=\"h-verify\">Chain verification</h2>"
        if let last = lastVerification.withLock({ $0 }) {
            let when = HTMLText.escape(AuditTimestamp.format(last.at))
            if last.result.ok {
                main += "<p class=\"ok\">Verified up to seq \(last.result.headSeq) at \(when) (\(last.result.rows) rows from the anchor at seq \(last.result.anchorSeq)).</p>"
            } else {
                main += "<p class=\"bad\">Broken at seq \(last.result.firstBadSeq ?? 0): \(HTMLText.escape(last.result.reason ?? "unknown")) (checked at \(when)).</p>"
            }
            main += "<p>Head hash <span class=\"mono\">\(HTMLText.escape(last.result.headHash))</span></p>"
        } else {
            main += "<p>Not verified from this console since the gateway started.</p>"
        }
        main += csrfForm("/admin/console/chain/verify", viewer, button: "Verify the chain now") + "</section>"
        main += "<section class=\"card\" aria-labelledby=\"h-checkpoint\"><h2 id=\"h-checkpoint\">Latest signed checkpoint</h2>"
        if let checkpoint = try await services.checkpoints.store.latest() {
            main += "<p>Tree size \(checkpoint.treeSize), signed \(HTMLText.escape(AuditTimestamp.format(checkpoint.createdAt))) with key \(HTMLText.escape(checkpoint.keyID)).</p>"
            main += "<pre class=\"mono\">\(HTMLText.escape(checkpoint.note))</pre>"
        } else {
            main += "<p>No checkpoint signed yet.</p>"
        }
        let signer = services.checkpoints.signer
        main += "<p>Verifier key: <span class=\"mono\">\(HTMLText.escape(signer.verifierKey))</span></p>"
        main += "<p>Every \(services.checkpoints.settings.everyRows) rows or \(services.checkpoints.settings.everySeconds) s. Prove an export with <code>weavr-gateway audit verify --checkpoint FILE --public-key FILE --export FILE</code>.</p>"
        main += csrfForm("/admin/console/chain/checkpoint", viewer, button: "Sign a checkpoint now") + "</section>"
        return ConsolePage.render(title: "Chain and checkpoints", main: main, signedIn: viewer.signedIn)
    }

    func csrfForm(_ action: String, _ viewer: Viewer, button: String) -> String {
        "<form method=\"post\" action=\"\(HTMLText.escape(action))\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTMLText.escape(viewer.csrf))\"><button type=\"submit\">\(HTMLText.escape(button))</button></form>"
    }

    func tenantsPage(_ viewer: Viewer) async throws -> HTTPResponse {
        let tenants = try await services.tenants.list()
        let today = UTCDay(containing: services.clock.now)
        var main = ""
        for tenant in tenants {
            var days: [(UTCDay, Int)] = []
            var todayUsage: [QuotaOperation: Int] = [:]
            for offset in (0..<30).reversed() {
                let day = UTCDay(daysSinceEpoch: today.daysSinceEpoch - Int64(offset))
                let usage = try await services.quotas.usage(tenant: tenant.id, day: day)
                if offset == 0 { todayUsage = usage }
                days.append((day, QuotaOperation.counted.reduce(0) { $0 + (usage[$1] ?? 0) }))
            }
            let id = HTMLText.escape(tenant.id)
            main += "<section class=\"card\" aria-labelledby=\"t-\(id)\"><h2 id=\"t-\(id)\">\(HTMLText.escape(tenant.name)) <span class=\"mono\">(\(id), \(HTMLText.escape(tenant.status.rawValue)))</span></h2>"
            main += "<table><caption>Today's quota use (\(HTMLText.escape(today.description)))</caption><thead><tr><th scope=\"col\">Operation</th><th scope=\"col\">Used</th><th scope=\"col\">Limit</th></tr></thead><tbody>"
            for operation in QuotaOperation.counted {
                let limit = tenant.quotas[operation.rawValue].map { String($0) } ?? "none"
                main += "<tr><td>\(HTMLText.escape(operation.rawValue))</td><td>\(todayUsage[operation] ?? 0)</td><td>\(limit)</td></tr>"
            }
            main += "</tbody></table>"
            main += chart(days, tenant: tenant.id)
            let sessions = try await services.sessions.list(tenantID: tenant.id).filter { $0.revokedAt == nil && $0.absoluteExpiresAt > services.clock.now }
            main += "<h3>Live sessions (\(sessions.count))</h3>"
            if sessions.isEmpty {
                main += "<p>None.</p>"
            } else {
                main += "<table><thead><tr><th scope=\"col\">User</th><th scope=\"col\">Since</th><th scope=\"col\">Last seen</th><th scope=\"col\">Revoke</th></tr></thead><tbody>"
                for session in sessions {
                    let action = "/admin/console/tenants/\(HTMLText.queryComponent(tenant.id))/sessions/\(HTMLText.queryComponent(session.sid))/revoke"
                    main += "<tr><td>\(HTMLText.escape(session.userID))</td><td>\(HTMLText.escape(AuditTimestamp.format(session.createdAt)))</td>"
                    main += "<td>\(HTMLText.escape(AuditTimestamp.format(session.lastSeenAt)))</td><td>\(csrfForm(action, viewer, button: "Revoke"))</td></tr>"
                }
                main += "</tbody></table>"
            }
            main += "<p><a href=\"/admin/console/audit?tenant=\(HTMLText.queryComponent(tenant.id))\">This tenant's audit rows</a></p></section>"
        }
        if tenants.isEmpty { main = "<p>No tenants.</p>" }
        return ConsolePage.render(title: "Tenants", main: main, signedIn: viewer.signedIn)
    }

    /// The last 30 days' counted operations as an inline SVG bar chart (attributes only: the CSP allows no inline style).
    private func chart(_ days: [(UTCDay, Int)], tenant: String) -> String {
        let most = max(days.map(\.1).max() ?? 0, 1)
        let total = days.reduce(0) { $0 + $1.1 }
        var svg = "<figure><svg class=\"chart\" role=\"img\" aria-labelledby=\"c-\(HTMLText.escape(tenant))\" width=\"330\" height=\"70\" viewBox=\"0 0 330 70\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title id=\"c-\(HTMLText.escape(tenant))\">Counted operations per day, last 30 days: \(total) in all, at most \(most) a day</title>"
        for (index, (day, count)) in days.enumerated() {
            let height = count == 0 ? 0 : max(1, count * 60 / most)
            svg += "<rect x=\(quote(5 + index * 11)) y=\(quote(65 - height)) width=\"9\" height=\(quote(height))><title>\(HTMLText.escape(day.description)): \(count)</title></rect>"
        }
        return svg + "</svg><figcaption>Last 30 days: \(total) counted operations</figcaption></figure>"
    }

    private func quote(_ number: Int) -> String { "\"\(number)\"" }
}
