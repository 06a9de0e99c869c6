public import Storage

extension Migrations {
    /// The gateway database's whole schema, each part owned by the module whose tables it
    /// creates: versions 1–3 `Auth` (tenants, signing keys, sessions), 4 the idempotency store,
    /// 5–7 `Audit` (audit log, quota ledger, record-once keys), 8 the change counter
    /// (`StoreChangeWatcher`), 9 the readiness heartbeat (`DatabaseReadiness`), 10 rate limits, 11–12 Weavr
    /// webhook receipts and the event log (`WeavrEventStore`), 13 the signed audit checkpoints (`Audit`), 14 card
    /// owners (`CardOwners`), 15 the card-reveal sessions (`RevealSessions`), 16 the
    /// rate-limit bucket's last grant (`SharedRateLimiter`'s batches).
    public static let gateway = Migrations(combining: .auth, .idempotency, .audit, .storeChanges, .readiness, .rateLimits, .webhooks, .auditCheckpoints, .cardOwners, .reveal)
}
