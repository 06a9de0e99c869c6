import Audit
import Foundation
import Testing

struct AuditQueryExportTests {
    /// Rows 1–6 over three tenants, actions and outcomes, one minute apart.
    private func seeded() async throws -> AuditFixture {
        let fixture = try await AuditFixture()
        let entries: [AuditEntry] = [
            AuditEntry(tenant: "acme", actor: "u1", action: .cardBlock, target: "c1", outcome: .intent),
            AuditEntry(tenant: "acme", actor: "u1", action: .cardBlock, target: "c1", outcome: .success, httpStatus: 200, upstreamStatus: 204, upstreamRequestRef: "ref-1"),
            AuditEntry(tenant: "beta", actor: "u2", action: .cardIssue, target: "c2", outcome: .failure, httpStatus: 502, upstreamStatus: 500),
            AuditEntry(tenant: nil, actor: "admin:ops", action: AuditAction.admin("tenant.create")!, target: "gamma", outcome: .success, httpStatus: 201),
            AuditEntry(tenant: "acme", actor: "u3", action: .quotaDenied, outcome: .denied, httpStatus: 429),
            AuditEntry(tenant: "acme", actor: "admin:ops", action: AuditAction.admin("session.revoke")!, target: "c1", outcome: .success),
        ]
        for entry in entries {
            try await fixture.log.append(entry)
            fixture.clock.advance(by: 60_000)
        }
        return fixture
    }

    private func seqs(_ fixture: AuditFixture, _ filter: AuditFilter, limit: Int = 100) async throws -> [Int64] {
        try await fixture.log.query(filter, limit: limit).records.map(\.seq)
    }

    @Test func filtersCombine() async throws {
        let fixture = try await seeded()
        let start = fixture.clock.now - 6 * 60_000
        #expect(try await seqs(fixture, AuditFilter(tenant: "acme")) == [1, 2, 5, 6])
        #expect(try await seqs(fixture, AuditFilter(actor: "admin:ops")) == [4, 6])
        #expect(try await seqs(fixture, AuditFilter(action: "admin.*")) == [4, 6])
        #expect(try await seqs(fixture, AuditFilter(action: "card.block")) == [1, 2])
        #expect(try await seqs(fixture, AuditFilter(target: "c1")) == [1, 2, 6])
        #expect(try await seqs(fixture, AuditFilter(tenant: "acme", target: "c1", outcome: .success)) == [2, 6])
        #expect(try await seqs(fixture, AuditFilter(from: start + 60_000, to: start + 3 * 60_000)) == [2, 3])
        #expect(try await seqs(fixture, AuditFilter(tenant: "nobody")) == [])
    }

    @Test func pagesFollowTheCursor() async throws {
        let fixture = try await seeded()
        var filter = AuditFilter()
        var pages: [[Int64]] = []
        while true {
            let page = try await fixture.log.query(filter, limit: 4)
            pages.append(page.records.map(\.seq))
            guard let cursor = page.nextCursor else { break }
            filter.afterSeq = cursor
        }
        #expect(pages == [[1, 2, 3, 4], [5, 6]])
    }

    @Test func ndjsonExportParsesBackAndItsHashesRecompute() async throws {
        let fixture = try await seeded()
        var entry = AuditFixture.entry(9)
        entry.userAgent = "Agent \"quoted\", with comma \\ and ünïcode"
        try await fixture.log.append(entry)
        let stored = try await fixture.log.query(AuditFilter(), limit: 100).records

        var output: [UInt8] = []
        var chunks = 0
        let count = try await fixture.log.export(format: .ndjson, chunkSize: 256) { chunk in
            output += chunk
            chunks += 1
        }
        #expect(count == 7 && chunks > 1)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 7)
        for (line, record) in zip(lines, stored) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == Set(AuditRecord.fieldNames))
            let details = try JSONSerialization.data(withJSONObject: object["details"] as Any, options: [.sortedKeys, .withoutEscapingSlashes])
            func text(_ name: String) -> String? { object[name] as? String }
            func integer(_ name: String) -> Int64? { (object[name] as? NSNumber)?.int64Value }
            let parsed = AuditRecord(
                seq: integer("seq")!, time: integer("time")!, tenant: text("tenant"), actor: text("actor")!,
                sessionHash: text("session_hash"), action: text("action")!, target: text("target"), outcome: text("outcome")!,
                httpStatus: integer("http_status"), upstreamStatus: integer("upstream_status"),
                upstreamRequestRef: text("upstream_ref"), requestID: text("request_id"), clientIP: text("client_ip"),
                userAgent: text("user_agent"), details: String(decoding: details, as: UTF8.self),
                prevHash: text("prev_hash")!, hash: text("hash")!
            )
            #expect(parsed == record)
            #expect(parsed.computedHash == parsed.hash)
        }
    }

    @Test func csvExportQuotesFieldsAndParsesBack() async throws {
        let fixture = try await seeded()
        var entry = AuditFixture.entry(9)
        entry.userAgent = "=HYPERLINK(\"http://x\"), \"quoted\""
        try await fixture.log.append(entry)
        let stored = try await fixture.log.query(AuditFilter(tenant: "acme"), limit: 100).records

        var output: [UInt8] = []
        try await fixture.log.export(AuditFilter(tenant: "acme"), format: .csv) { output += $0 }
        let rows = parseCSV(String(decoding: output, as: UTF8.self))
        #expect(rows.first == AuditRecord.fieldNames)
        #expect(rows.count == stored.count + 1)
        for (row, record) in zip(rows.dropFirst(), stored) {
            #expect(row.count == AuditRecord.fieldNames.count)
            #expect(row[0] == String(record.seq))
            #expect(row[2] == (record.tenant ?? ""))
            #expect(row[9] == record.upstreamStatus.map { String($0) } ?? "")
            #expect(row[14] == record.details)
            #expect(row[16] == record.hash)
        }
        // OWASP CSV injection: the formula is neutralised with a leading quote.
        #expect(rows.last?[13] == "'=HYPERLINK(\"http://x\"), \"quoted\"")
    }

    /// RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF records.
    private func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                inQuotes = true
            } else if scalar == "," {
                row.append(field)
                field = ""
            } else if scalar == "\r" {
                continue
            } else if scalar == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        return rows
    }
}
