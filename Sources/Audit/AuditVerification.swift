/// What `AuditLog.verify` found.
public struct AuditVerification: Sendable, Hashable {
    /// `true` when every row's hash, seq and `prev_hash` link checked out from the anchor
    /// to the head.
    public var ok: Bool
    /// Rows checked (the rows still stored after pruning).
    public var rows: Int
    /// The first row that is wrong or missing; `nil` when `ok`.
    public var firstBadSeq: Int64?
    /// Why that row is bad; `nil` when `ok`.
    public var reason: String?
    /// Seq and hash of the last pruned row, where checking started.
    public var anchorSeq: Int64
    public var anchorHash: String
    /// Seq and hash of the newest row (record them elsewhere to detect a rewritten chain).
    public var headSeq: Int64
    public var headHash: String

    public init(
        ok: Bool, rows: Int, firstBadSeq: Int64?, reason: String?,
        anchorSeq: Int64, anchorHash: String, headSeq: Int64, headHash: String
    ) {
        self.ok = ok
        self.rows = rows
        self.firstBadSeq = firstBadSeq
        self.reason = reason
        self.anchorSeq = anchorSeq
        self.anchorHash = anchorHash
        self.headSeq = headSeq
        self.headHash = headHash
    }
}
