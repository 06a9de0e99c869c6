import Audit
import Auth
import NIOFreeHTTP

extension AdminAPI {
    /// Usage per tenant and the audit log: query, streamed export (NDJSON, CSV), verify.
    func addAuditRoutes(to router: inout Router) {
        route(&router, "GET", "/admin/v1/tenants/{id}/usage", action: "admin.usage.read") { request, _ in
            let tenantID = request.pathParameters["id"] ?? ""
            guard let tenant = try await services.tenants.get(tenantID) else { throw Problem(.notFound) }
            var day = UTCDay(containing: services.clock.now)
            if let text = request.queryParameter("day") {
                guard let parsed = UTCDay(text) else {
                    throw Problem(.validationFailed, invalidFields: [.init(name: "day", reason: "YYYY-MM-DD")])
                }
                day = parsed
            }
            let usage = try await services.quotas.usage(tenant: tenant.id, day: day)
            var json = JSONWriter()
            json.beginObject()
            json.field("tenant", tenant.id)
            json.field("day", day.description)
            json.key("operations")
            json.beginObject()
            // Counted operations always; money quotas that are configured or were used that day.
            let money = Set(usage.keys.filter { $0.moneyCurrency != nil } + tenant.quotas.keys.compactMap { QuotaOperation(rawValue: $0) }
                .filter { $0.moneyCurrency != nil })
            for operation in QuotaOperation.counted + money.sorted(by: { $0.rawValue < $1.rawValue }) {
                json.key(operation.rawValue)
                json.beginObject()
                json.field("used", usage[operation] ?? 0)
                if let limit = tenant.quotas[operation.rawValue] { json.field("limit", limit) } else { json.field("limit", nil as String?) }
                json.endObject()
            }
            json.endObject()
            json.endObject()
            return .json(200, json.bytes)
        }
        route(&router, "GET", "/admin/v1/audit", action: "admin.audit.query") { request, _ in
            var filter = try Self.auditFilter(request)
            if let cursor = request.queryParameter("cursor") {
                guard let seq = Int64(cursor), seq >= 0 else {
                    throw Problem(.validationFailed, invalidFields: [.init(name: "cursor", reason: "from a previous page's nextCursor")])
                }
                filter.afterSeq = seq
            }
            var limit = 100
            if let text = request.queryParameter("limit") {
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw Problem(.validationFailed, invalidFields: [.init(name: "limit", reason: "1…1000")])
                }
                limit = value
            }
            let page = try await services.audit.query(filter, limit: limit)
            var body = Array(#"{"records":["#.utf8)
            for (index, record) in page.records.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                var line: [UInt8] = []
                record.appendNDJSON(to: &line)
                if line.last == UInt8(ascii: "\n") { line.removeLast() }
                body.append(contentsOf: line)
            }
            body.append(contentsOf: Array(#"],"nextCursor":"#.utf8))
            body.append(contentsOf: Array((page.nextCursor.map { "\"\($0)\"" } ?? "null").utf8))
            body.append(UInt8(ascii: "}"))
            return .json(200, body)
        }
        route(&router, "GET", "/admin/v1/audit/export", action: "admin.audit.export") { request, _ in
            let filter = try Self.auditFilter(request)
            let format: AuditExportFormat
            switch request.queryParameter("format") ?? "ndjson" {
            case "ndjson": format = .ndjson
            case "csv": format = .csv
            default: throw Problem(.validationFailed, invalidFields: [.init(name: "format", reason: "ndjson or csv")])
            }
            let contentType = format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson"
            return Self.streamedExport(services.audit, filter, format: format, headers: ["content-type": contentType, "cache-control": "no-store"])
        }
        route(&router, "GET", "/admin/v1/audit/verify", action: "admin.audit.verify") { _, _ in
            let result = try await services.audit.verify()
            var json = JSONWriter()
            json.beginObject()
            json.field("ok", result.ok)
            json.field("rows", result.rows)
            json.field("firstBadSeq", result.firstBadSeq.map { String($0) })
            json.field("reason", result.reason)
            json.field("headSeq", result.headSeq)
            json.field("headHash", result.headHash)
            json.endObject()
            return .json(result.ok ? 200 : 409, json.bytes)
        }
    }

    /// The rows of `filter` in `format`, streamed page by page (chunked), so an export of millions of rows needs
    /// no large buffer; the admin API's and the console's exports.
    static func streamedExport(_ audit: any AuditLog, _ filter: AuditFilter, format: AuditExportFormat, headers: HTTPHeaders) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers) { writer in
            var filter = filter
            if format == .csv {
                try await writer.write(Array((AuditRecord.fieldNames.joined(separator: ",") + "\r\n").utf8))
            }
            while true {
                let page = try await audit.query(filter, limit: 1000)
                var chunk: [UInt8] = []
                for record in page.records {
                    if format == .csv { record.appendCSV(to: &chunk) } else { record.appendNDJSON(to: &chunk) }
                }
                try await writer.write(chunk)
                guard let next = page.nextCursor else { break }
                filter.afterSeq = next
            }
        }
    }

    static func auditFilter(_ request: HTTPRequest) throws -> AuditFilter {
        var filter = AuditFilter(
            tenant: request.queryParameter("tenant"), actor: request.queryParameter("actor"),
            action: request.queryParameter("action"), target: request.queryParameter("target")
        )
        if let text = request.queryParameter("outcome") {
            guard let outcome = AuditOutcome(rawValue: text) else {
                throw Problem(.validationFailed, invalidFields: [.init(name: "outcome", reason: AuditOutcome.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            filter.outcome = outcome
        }
        for (name, keyPath) in [("since", \AuditFilter.from), ("until", \AuditFilter.to)] {
            if let text = request.queryParameter(name) {
                guard let milliseconds = Int64(text) else {
                    throw Problem(.validationFailed, invalidFields: [.init(name: name, reason: "milliseconds since the epoch")])
                }
                filter[keyPath: keyPath] = milliseconds
            }
        }
        return filter
    }
}
