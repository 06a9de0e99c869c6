import GatewayCore

/// One audit event as the caller describes it; `AuditLog.append` gives it a seq, the time
/// and its place in the hash chain.
///
/// Free-text fields lose control characters and are cut when appended: `userAgent` to 256
/// characters, the others to 128 (`clientIP` to 64).
public struct AuditEntry: Sendable, Hashable {
    /// The tenant id; `nil` for operator actions outside any tenant.
    public var tenant: String?
    /// The Weavr user id, or `admin:<id>` for the admin API.
    public var actor: String
    /// SHA-256 (hex) of the session id; never the session id itself.
    public var sessionHash: String?
    public var action: AuditAction
    /// What was acted on, e.g. a card id.
    public var target: String?
    public var outcome: AuditOutcome
    /// The status the gateway answered with (`nil` for an intent).
    public var httpStatus: Int?
    /// The status Weavr answered with, when it was called.
    public var upstreamStatus: Int?
    /// Weavr's `request-ref` response header, when there was one.
    public var upstreamRequestRef: String?
    /// The gateway's request id.
    public var requestID: String?
    public var clientIP: String?
    public var userAgent: String?
    public var details: AuditDetails

    /// Creates an entry; `sessionID` is hashed here and only its hash is kept.
    public init(
        tenant: String?,
        actor: String,
        sessionID: String? = nil,
        action: AuditAction,
        target: String? = nil,
        outcome: AuditOutcome,
        httpStatus: Int? = nil,
        upstreamStatus: Int? = nil,
        upstreamRequestRef: String? = nil,
        requestID: String? = nil,
        clientIP: String? = nil,
        userAgent: String? = nil,
        details: AuditDetails = .empty
    ) {
        self.tenant = tenant
        self.actor = actor
        self.sessionHash = sessionID.map(SHA256.hexHash)
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
    }

    /// The row this entry becomes at `seq`, written at `time`, after the row whose hash is `previousHash`.
    func record(seq: Int64, time: Int64, previousHash: String) -> AuditRecord {
        var record = AuditRecord(
            seq: seq,
            time: time,
            tenant: AuditText.clean(tenant, maxLength: 128),
            actor: AuditText.clean(actor, maxLength: 128),
            sessionHash: sessionHash.map(Self.ensureHashed),
            action: action.rawValue,
            target: AuditText.clean(target, maxLength: 128),
            outcome: outcome.rawValue,
            httpStatus: httpStatus.map(Int64.init),
            upstreamStatus: upstreamStatus.map(Int64.init),
            upstreamRequestRef: AuditText.clean(upstreamRequestRef, maxLength: 128),
            requestID: AuditText.clean(requestID, maxLength: 128),
            clientIP: AuditText.clean(clientIP, maxLength: 64),
            userAgent: AuditText.clean(userAgent, maxLength: 256),
            details: details.json,
            prevHash: previousHash,
            hash: ""
        )
        record.hash = record.computedHash
        return record
    }

    /// `value` when it already is 64 lower-case hex digits, else its SHA-256: a session id
    /// put into `sessionHash` by mistake is still never stored.
    private static func ensureHashed(_ value: String) -> String {
        let isHash = value.utf8.count == 64 && value.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
        }
        return isHash ? value : SHA256.hexHash(value)
    }
}
