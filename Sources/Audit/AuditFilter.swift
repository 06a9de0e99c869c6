/// Which rows `query` and `export` return; every criterion is optional and they all apply.
public struct AuditFilter: Sendable, Hashable {
    public var tenant: String?
    public var actor: String?
    /// An action name, or a prefix ending in `.*` (`admin.*`).
    public var action: String?
    public var target: String?
    public var outcome: AuditOutcome?
    /// Rows at or after this time (UTC ms).
    public var from: Int64?
    /// Rows before this time (UTC ms).
    public var to: Int64?
    /// Rows with a seq greater than this: the cursor of the previous page.
    public var afterSeq: Int64?

    /// Creates a filter; no argument means no restriction.
    public init(
        tenant: String? = nil, actor: String? = nil, action: String? = nil, target: String? = nil,
        outcome: AuditOutcome? = nil, from: Int64? = nil, to: Int64? = nil, afterSeq: Int64? = nil
    ) {
        self.tenant = tenant
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.from = from
        self.to = to
        self.afterSeq = afterSeq
    }
}
