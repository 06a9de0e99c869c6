import Audit
import Gateway
import Storage

/// What `weavr-gateway audit …` does, minus argument parsing and process exit codes.
///
/// The audit log is a plain SHA-256 chain (docs/ARCHITECTURE.md "Quotas and audit"), so none of these
/// needs the master key.
struct AuditCommands: Sendable {
    private let log: any AuditLog

    /// Commands on the audit log of `database`.
    init(database: Database) {
        log = SQLAuditLog(database: database)
    }

    /// `OK <rows> rows` (then the anchor and head) when the chain verifies, else
    /// `BAD at seq N: <reason>`; `ok` is what the exit code reports.
    func verify() async throws -> (ok: Bool, output: String) {
        let result = try await log.verify()
        guard result.ok else {
            return (false, "BAD at seq \(result.firstBadSeq ?? 0): \(result.reason ?? "unknown")\n")
        }
        return (
            true,
            """
            OK \(result.rows) rows
            anchor seq \(result.anchorSeq) \(result.anchorHash)
            head seq \(result.headSeq) \(result.headHash)

            """
        )
    }

    /// `OK checkpoint <origin> tree size N …` when `export` (NDJSON) holds the rows the signed `checkpoint` commits
    /// to, else `BAD: <reason>`; `ok` is what the exit code reports.
    static func verify(checkpoint: String, publicKey: String, export: [UInt8]) -> (ok: Bool, output: String) {
        do {
            let report = try AuditExportVerification.verify(export: export, note: checkpoint, keyFile: publicKey)
            return (
                true,
                """
                OK checkpoint \(report.checkpoint.origin) tree size \(report.checkpoint.treeSize)
                signature verified; rows \(report.firstSeq)…\(report.checkpoint.treeSize) of the export (\(report.rows)) chain to the checkpoint's root

                """
            )
        } catch {
            return (false, "BAD: \(error)\n")
        }
    }

    /// One tab-separated line per row (time, seq, tenant, actor, action, target, outcome, HTTP
    /// status, upstream status, request id), oldest first; then `next: --after N` when more remain.
    func query(_ filter: AuditFilter, limit: Int) async throws -> String {
        let page = try await log.query(filter, limit: limit)
        var output = ""
        for record in page.records {
            let fields: [String] = [
                String(record.seq), AuditTimestamp.format(record.time), record.tenant ?? "-", record.actor, record.action,
                record.target ?? "-", record.outcome, record.httpStatus.map { String($0) } ?? "-",
                record.upstreamStatus.map { String($0) } ?? "-", record.requestID ?? "-",
            ]
            output += fields.joined(separator: "\t") + "\n"
        }
        if let cursor = page.nextCursor { output += "next: --after \(cursor)\n" }
        return output
    }

    /// Streams the matching rows to `write`; returns the row count.
    @discardableResult
    func export(_ filter: AuditFilter, format: AuditExportFormat, write: ([UInt8]) throws -> Void) async throws -> Int {
        try await log.export(filter, format: format, write: write)
    }

    /// Deletes rows older than `days` days; reports the count and the new anchor.
    func prune(olderThanDays days: Int) async throws -> String {
        precondition(days >= 0)
        let result = try await log.prune(olderThan: .seconds(Int64(days) * 86_400))
        return "pruned \(result.rowsDeleted) rows; anchor at seq \(result.anchorSeq)\n"
    }
}
