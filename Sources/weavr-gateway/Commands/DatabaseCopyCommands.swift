import Audit
import Storage

/// What `weavr-gateway db copy` does, minus argument parsing and process exit codes: copies an install's
/// database into an empty one (SQLite to PostgreSQL) and checks it arrived whole.
///
/// Nothing is decrypted: sealed api-keys, Weavr tokens and signing keys travel as the bytes they are, so
/// no master key is needed (the target serves with the same one).
struct DatabaseCopyCommands: Sendable {
    let source: Database
    /// The source for messages.
    let sourceName: String
    let target: Database
    /// The target for messages: a URL without its password.
    let targetName: String
    var copy = DatabaseCopy()

    /// Why the copy was refused or did not check out.
    enum Failure: Error, CustomStringConvertible {
        /// The target already holds an install's data.
        case targetNotEmpty(String)
        /// The source's audit chain does not verify: nothing was copied.
        case sourceChainBroken(AuditVerification)
        /// After the copy, the target's chain does not verify.
        case targetChainBroken(AuditVerification)
        /// After the copy, the target differs from what was read from the source.
        case mismatch(String)

        var description: String {
            switch self {
            case .targetNotEmpty(let found):
                "the target already holds data (\(found)): db copy only copies into an empty database, so that two installs are never merged"
            case .sourceChainBroken(let result):
                "the source's audit chain is broken at seq \(result.firstBadSeq ?? 0): \(result.reason ?? "unknown"); nothing was copied (run `weavr-gateway audit verify --db` on the source)"
            case .targetChainBroken(let result):
                "the target's audit chain does not verify after the copy: BAD at seq \(result.firstBadSeq ?? 0): \(result.reason ?? "unknown")"
            case .mismatch(let reason):
                "the copy does not match the source: \(reason)"
            }
        }
    }

    /// Copies in one target transaction and checks what committed: the target's audit chain verifies,
    /// with the source's head (seq and hash), and every table has the source's row count. Returns the
    /// summary; throws `Failure`, `DatabaseCopyError` or a storage error otherwise.
    func run() async throws -> String {
        // Fail fast; the check that counts runs again inside the copy's transaction.
        try await target.read { try Self.checkEmpty($0) }
        let (tables, sourceChain) = try await copy.run(
            from: source,
            to: target,
            inSourceSnapshot: { connection in
                // The chain that is copied is the one verified: same snapshot.
                let result = try SQLAuditLog.verify(on: connection)
                guard result.ok else { throw Failure.sourceChainBroken(result) }
                return result
            },
            checkTarget: { try Self.checkEmpty($0) }
        )

        let targetChain = try await SQLAuditLog(database: target).verify()
        guard targetChain.ok else { throw Failure.targetChainBroken(targetChain) }
        guard targetChain.headSeq == sourceChain.headSeq, targetChain.headHash == sourceChain.headHash else {
            throw Failure.mismatch(
                "audit head seq \(targetChain.headSeq) \(targetChain.headHash), the source's seq \(sourceChain.headSeq) \(sourceChain.headHash)"
            )
        }
        guard targetChain.rows == sourceChain.rows, targetChain.anchorSeq == sourceChain.anchorSeq else {
            throw Failure.mismatch(
                "\(targetChain.rows) audit rows from anchor seq \(targetChain.anchorSeq), the source \(sourceChain.rows) from seq \(sourceChain.anchorSeq)"
            )
        }
        let counts = try await DatabaseCopy.rowCounts(of: tables.map(\.name), in: target)
        for (table, count) in zip(tables, counts) where count != table.rows {
            throw Failure.mismatch("table \(table.name) has \(count) rows, the source \(table.rows)")
        }

        let width = max(5, tables.map(\.name.count).max() ?? 0)
        var output = "copied \(sourceName) to \(targetName) in one transaction\n"
        output += "table".padded(to: width) + "  rows\n"
        for table in tables {
            output += table.name.padded(to: width) + "  \(table.rows)\n"
        }
        output += "audit head seq \(targetChain.headSeq) \(targetChain.headHash)\n"
        output += "chain verified: \(targetChain.rows) rows; every table's row count and the audit head match the source\n"
        return output
    }

    /// Throws `Failure.targetNotEmpty` when the target has tenants, signing keys, sessions or audit rows
    /// (or ever had: an audit head past seq 0).
    static func checkEmpty(_ connection: any SQLConnection) throws {
        let row = try connection.query(
            """
            SELECT (SELECT count(*) FROM tenants), (SELECT count(*) FROM signing_keys), (SELECT count(*) FROM sessions),
                   (SELECT count(*) FROM audit_log), (SELECT coalesce(max(seq), 0) FROM audit_head)
            """
        ).first
        let counts = (0..<5).map { row?[$0].int64Value ?? 0 }
        guard counts.allSatisfy({ $0 == 0 }) else {
            throw Failure.targetNotEmpty(
                "\(counts[0]) tenants, \(counts[1]) signing keys, \(counts[2]) sessions, \(counts[3]) audit rows, audit head at seq \(counts[4])"
            )
        }
    }
}

extension String {
    fileprivate func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
