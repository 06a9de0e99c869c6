import Audit
import Logging

/// Daily housekeeping in a running gateway: audit rows older than the retention are pruned (an anchor keeps
/// the chain verifiable), quota counters older than 35 days and Weavr events (with their
/// webhook receipts) older than `events.retention` (7 days) are dropped. Runs once at start, then every 24 h.
public enum RetentionTask {
    /// The audit retention docs/ARCHITECTURE.md asks for by default: 400 days.
    public static let defaultAuditRetention: Duration = .seconds(400 * 86_400)

    /// Starts the loop; cancel the returned task to stop it.
    @discardableResult
    public static func start(services: GatewayServices, auditRetention: Duration = defaultAuditRetention) -> Task<Void, Never> {
        Task.detached(priority: .background) {
            let logger = Logger(label: "weavr-gateway.retention")
            while !Task.isCancelled {
                do {
                    let result = try await services.audit.prune(olderThan: auditRetention)
                    if result.rowsDeleted > 0 {
                        logger.info("audit rows pruned", metadata: ["rows": "\(result.rowsDeleted)", "anchor_seq": "\(result.anchorSeq)"])
                    }
                    let cutoff = UTCDay(daysSinceEpoch: UTCDay(containing: services.clock.now).daysSinceEpoch - 35)
                    _ = try await services.quotas.prune(before: cutoff)
                    let events = try await services.weavrEvents.store.prune(olderThan: services.settings.events.retention)
                    if events > 0 { logger.info("weavr events pruned", metadata: ["rows": "\(events)"]) }
                } catch {
                    // A broken chain is refused by prune (nothing deleted): that is for `audit verify` to report.
                    logger.error("retention pass failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(86_400))
            }
        }
    }
}
