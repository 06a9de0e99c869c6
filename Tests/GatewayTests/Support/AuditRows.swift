import Audit

/// Reading the audit log in tests.
extension AuditLog {
    /// Every row matching `filter`, following the cursor.
    func all(_ filter: AuditFilter = AuditFilter()) async throws -> [AuditRecord] {
        var filter = filter
        var records: [AuditRecord] = []
        while true {
            let page = try await query(filter, limit: 1000)
            records += page.records
            guard let next = page.nextCursor else { return records }
            filter.afterSeq = next
        }
    }
}

extension AuditRecord {
    /// Every stored field as one line of text, for secret scans.
    var allText: String {
        [tenant, actor, sessionHash, action, target, outcome, upstreamRequestRef, requestID, clientIP, userAgent, details]
            .compactMap { $0 }.joined(separator: "|")
    }
}
