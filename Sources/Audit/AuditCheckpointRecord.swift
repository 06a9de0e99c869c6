/// One stored signed checkpoint of the audit chain.
public struct AuditCheckpointRecord: Sendable, Hashable {
    /// Rows covered: seqs 1…treeSize (the seq of the chain head it commits to).
    public var treeSize: Int64
    /// The hash (hex) of row `treeSize`: the chain head, which commits to every row before it.
    public var rootHash: String
    /// UTC milliseconds when it was signed.
    public var createdAt: Int64
    /// The signing key's 4-byte C2SP key id, hex.
    public var keyID: String
    /// The whole signed note (C2SP tlog-checkpoint body, blank line, signature line).
    public var note: String

    public init(treeSize: Int64, rootHash: String, createdAt: Int64, keyID: String, note: String) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.createdAt = createdAt
        self.keyID = keyID
        self.note = note
    }
}
