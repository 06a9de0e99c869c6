/// The answer of `QuotaLedger.consume`.
public struct QuotaDecision: Sendable, Hashable {
    /// `true` when the units were taken; `false` leaves the counter as it was.
    public var allowed: Bool
    /// Units used today, after this call.
    public var used: Int
    /// The limit the call was checked against.
    public var limit: Int
    /// `max(0, limit - used)`.
    public var remaining: Int
    /// When the counter resets: the next midnight UTC, in milliseconds since the epoch.
    public var resetAt: Int64

    public init(allowed: Bool, used: Int, limit: Int, remaining: Int, resetAt: Int64) {
        self.allowed = allowed
        self.used = used
        self.limit = limit
        self.remaining = remaining
        self.resetAt = resetAt
    }
}
