/// One stored audit row, as `query` and `export` return it.
public struct AuditRecord: Sendable, Hashable {
    /// Position in the log: 1, 2, 3, … without gaps (pruning removes a prefix).
    public var seq: Int64
    /// UTC milliseconds since the Unix epoch, taken by the writer.
    public var time: Int64
    public var tenant: String?
    public var actor: String
    /// SHA-256 (hex) of the session id.
    public var sessionHash: String?
    public var action: String
    public var target: String?
    public var outcome: String
    public var httpStatus: Int64?
    public var upstreamStatus: Int64?
    public var upstreamRequestRef: String?
    public var requestID: String?
    public var clientIP: String?
    public var userAgent: String?
    /// The details as canonical JSON object text.
    public var details: String
    /// `hash` of the row before (64 zeros before the first row ever written).
    public var prevHash: String
    /// SHA-256 (hex) of `canonicalEncoding`.
    public var hash: String

    /// Creates a record from its stored fields.
    public init(
        seq: Int64, time: Int64, tenant: String?, actor: String, sessionHash: String?, action: String,
        target: String?, outcome: String, httpStatus: Int64?, upstreamStatus: Int64?, upstreamRequestRef: String?,
        requestID: String?, clientIP: String?, userAgent: String?, details: String, prevHash: String, hash: String
    ) {
        self.seq = seq
        self.time = time
        self.tenant = tenant
        self.actor = actor
        self.sessionHash = sessionHash
        self.action = action
        self.target = target
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.upstreamStatus = upstreamStatus
        self.upstreamRequestRef = upstreamRequestRef
        self.requestID = requestID
        self.clientIP = clientIP
        self.userAgent = userAgent
        self.details = details
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The hash of the first row's predecessor.
    public static let genesisHash = String(repeating: "0", count: 64)
}
