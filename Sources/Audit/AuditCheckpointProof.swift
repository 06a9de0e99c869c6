/// Whether exported rows match a checkpoint: the rows must run without a gap up to seq `treeSize`, each
/// `prev_hash` linking to the row before and each `hash` recomputed from the row's fields; then the hash of
/// row `treeSize` must be the checkpoint's root. Because each hash covers the one before, a matching root
/// proves every exported row up to `treeSize` is the one that was checkpointed.
public enum AuditCheckpointProof {
    /// What the check found.
    public enum Result: Sendable, Hashable {
        /// Rows `firstSeq…treeSize` match the checkpoint.
        case matches(firstSeq: Int64, rows: Int)
        /// The export does not match; `seq` is the first row at fault (or the missing one), `reason` says why.
        case mismatch(seq: Int64, reason: String)
    }

    /// Checks `records` (in seq order, as an unfiltered export writes them) against a checkpoint of `treeSize`
    /// rows whose root is `rootHash` (lower-case hex).
    public static func check(_ records: some Sequence<AuditRecord>, treeSize: Int64, rootHash: String) -> Result {
        var walk: AuditChainWalk?
        var firstSeq: Int64 = 0
        var rows = 0
        for record in records {
            if walk == nil {
                firstSeq = record.seq
                walk = AuditChainWalk(anchorSeq: record.seq - 1, anchorHash: record.prevHash)
            }
            if record.seq > treeSize { break }
            if let bad = walk!.check(record) { return .mismatch(seq: bad.seq, reason: bad.reason) }
            rows += 1
            if record.seq == treeSize {
                guard record.hash == rootHash.lowercased() else {
                    return .mismatch(seq: treeSize, reason: "the hash of row \(treeSize) is not the checkpoint's root")
                }
                return .matches(firstSeq: firstSeq, rows: rows)
            }
        }
        guard let walk else { return .mismatch(seq: treeSize, reason: "the export has no rows") }
        return .mismatch(seq: walk.expectedSeq, reason: "the export ends before row \(treeSize) (the checkpoint's tree size)")
    }
}
