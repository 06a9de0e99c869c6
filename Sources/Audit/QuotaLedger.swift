/// Durable daily counters per tenant and operation (UTC days).
///
/// Like `AuditLog.append`, a `consume` that throws a `StorageError` with `isUnavailable`
/// means nothing was counted: the caller fails the request closed (503).
public protocol QuotaLedger: Sendable {
    /// Takes `amount` units of `operation` for `tenant` on `day` (today when `nil`) if
    /// `used + amount <= limit`, atomically: concurrent calls never overshoot the limit.
    func consume(tenant: String, operation: QuotaOperation, amount: Int, limit: Int, day: UTCDay?) async throws -> QuotaDecision

    /// Gives back up to `amount` units (the upstream call failed); the counter never goes below 0.
    /// Returns the units used afterwards.
    @discardableResult
    func release(tenant: String, operation: QuotaOperation, amount: Int, day: UTCDay?) async throws -> Int

    /// Units used by `tenant` on `day` (today when `nil`), every operation listed (0 when unused).
    func usage(tenant: String, day: UTCDay?) async throws -> [QuotaOperation: Int]

    /// Deletes the counters of days before `day` (they no longer limit anything); returns rows deleted.
    @discardableResult
    func prune(before day: UTCDay) async throws -> Int
}

extension QuotaLedger {
    /// Takes one unit today.
    public func consume(tenant: String, operation: QuotaOperation, limit: Int) async throws -> QuotaDecision {
        try await consume(tenant: tenant, operation: operation, amount: 1, limit: limit, day: nil)
    }
}
