/// Walks rows in seq order from an anchor, checking each one's seq, `prev_hash` link and hash.
struct AuditChainWalk {
    private let anchorSeq: Int64
    /// The seq the next row must have.
    private(set) var expectedSeq: Int64
    /// The hash the next row's `prev_hash` must equal.
    private(set) var previousHash: String

    /// Starts after the row (or anchor) `seq` whose hash is `hash`.
    init(anchorSeq: Int64, anchorHash: String) {
        self.anchorSeq = anchorSeq
        expectedSeq = anchorSeq + 1
        previousHash = anchorHash
    }

    /// The first bad seq and why, or `nil` when `record` is the correct next row.
    mutating func check(_ record: AuditRecord) -> (seq: Int64, reason: String)? {
        if record.seq < expectedSeq {
            return (record.seq, "row \(record.seq) is at or before the anchor (seq \(anchorSeq))")
        }
        if record.seq > expectedSeq {
            return (expectedSeq, "row \(expectedSeq) is missing (the next row is \(record.seq))")
        }
        if record.prevHash != previousHash {
            let before = record.seq - 1 == anchorSeq && anchorSeq > 0 ? "the anchor" : "row \(record.seq - 1)"
            return (record.seq, "prev_hash does not match the hash of \(before)")
        }
        if record.computedHash != record.hash {
            return (record.seq, "hash does not match the row's contents")
        }
        previousHash = record.hash
        expectedSeq += 1
        return nil
    }
}
