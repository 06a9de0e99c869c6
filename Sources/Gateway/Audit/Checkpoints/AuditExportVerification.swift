public import Audit
import Foundation
import GatewayCore

/// `weavr-gateway audit verify --checkpoint FILE --public-key FILE`: proves that an NDJSON export (the format
/// of `audit export --format ndjson` and `GET /admin/v1/audit/export`) holds the rows a signed checkpoint
/// commits to.
public enum AuditExportVerification {
    /// What was proved, for the command's output.
    public struct Report: Sendable, Hashable {
        public var checkpoint: AuditCheckpointNote
        public var firstSeq: Int64
        public var rows: Int
    }

    /// Opens `note` with `keyFile`'s key, then checks `export` (NDJSON bytes) against it; throws
    /// `AuditCheckpointError` naming the first thing that does not match.
    public static func verify(export: [UInt8], note: String, keyFile: String) throws -> Report {
        let checkpoint = try AuditCheckpointVerifier(keyFile: keyFile).open(note)
        let records = try parse(export)
        switch AuditCheckpointProof.check(records, treeSize: checkpoint.treeSize, rootHash: Hex.encode(checkpoint.rootHash)) {
        case .matches(let firstSeq, let rows):
            return Report(checkpoint: checkpoint, firstSeq: firstSeq, rows: rows)
        case .mismatch(let seq, let reason):
            throw AuditCheckpointError.unverified("the export does not match at seq \(seq): \(reason)")
        }
    }

    /// The records of an NDJSON export. `details` is taken as the exact JSON text between `"details":` and
    /// `,"prev_hash":` (re-encoding it could change bytes the hash covers).
    public static func parse(_ export: [UInt8]) throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        var number = 0
        for line in export.split(separator: 0x0A, omittingEmptySubsequences: true) {
            number += 1
            guard let record = record(Array(line)) else { throw AuditCheckpointError.malformed("export line \(number) is not an audit row in NDJSON") }
            records.append(record)
        }
        return records
    }

    private static func record(_ line: [UInt8]) -> AuditRecord? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return nil }
        let text = String(decoding: line, as: UTF8.self)
        guard let start = text.range(of: ",\"details\":"), let end = text.range(of: ",\"prev_hash\":", options: .backwards),
            start.upperBound <= end.lowerBound
        else { return nil }
        let details = String(text[start.upperBound..<end.lowerBound])
        func string(_ name: String) -> String?? {
            switch object[name] {
            case is NSNull: return .some(nil)
            case let value as String: return .some(value)
            default: return nil
            }
        }
        func integer(_ name: String) -> Int64?? {
            switch object[name] {
            case is NSNull: return .some(nil)
            case let value as NSNumber where !FieldReader.isBoolean(value): return .some(value.int64Value)
            default: return nil
            }
        }
        guard let seq = integer("seq") ?? nil, let time = integer("time") ?? nil, let tenant = string("tenant"),
            let actor = string("actor") ?? nil, let sessionHash = string("session_hash"), let action = string("action") ?? nil,
            let target = string("target"), let outcome = string("outcome") ?? nil, let httpStatus = integer("http_status"),
            let upstreamStatus = integer("upstream_status"), let upstreamRef = string("upstream_ref"), let requestID = string("request_id"),
            let clientIP = string("client_ip"), let userAgent = string("user_agent"), let prevHash = string("prev_hash") ?? nil,
            let hash = string("hash") ?? nil
        else { return nil }
        return AuditRecord(
            seq: seq, time: time, tenant: tenant, actor: actor, sessionHash: sessionHash, action: action, target: target,
            outcome: outcome, httpStatus: httpStatus, upstreamStatus: upstreamStatus, upstreamRequestRef: upstreamRef,
            requestID: requestID, clientIP: clientIP, userAgent: userAgent, details: details, prevHash: prevHash, hash: hash
        )
    }
}
