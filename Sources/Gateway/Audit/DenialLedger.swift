import Audit
import Auth
import GatewayCore
import Logging
import Synchronization

/// Refusals anyone can cause without a session and without reaching Weavr — a bad or foreign token, a
/// failed CSRF check, a login refused by a limit or for an unknown tenant, a wrong admin token — are
/// counted, not written one row each: every such request writing a row would let anyone fill the disk,
/// and since the audit log fails closed that would stop every tenant. Each is counted in
/// `weavr_gateway_access_denials_total` at once and written as one `access.denied` row per client IP,
/// reason, tenant and minute, with `count` and `minute` in its details (actor `anonymous`).
///
/// Rows are written when their minute is over (`flush`, driven by `start()` in `serve`), and on shutdown.
/// At most `maxKeys` distinct keys are held per flush; beyond that the client IP is recorded as `*`.
/// Counts not yet flushed when the process dies are lost: they are refusals, never acknowledged writes.
public final class DenialLedger: Sendable {
    struct Key: Hashable {
        var minute: Int64
        var clientIP: String
        var reason: String
        var tenant: String?
    }

    private let audit: any AuditLog
    private let metrics: GatewayMetrics
    private let clock: any WallClock
    private let maxKeys: Int
    private let pending = Mutex<[Key: Int]>([:])

    init(audit: any AuditLog, metrics: GatewayMetrics, clock: any WallClock, maxKeys: Int = 10_000) {
        self.audit = audit
        self.metrics = metrics
        self.clock = clock
        self.maxKeys = maxKeys
    }

    /// Counts one refusal.
    func record(reason: String, clientIP: String, tenant: String? = nil) {
        metrics.recordAccessDenial(reason: reason)
        var key = Key(minute: clock.now / 60_000, clientIP: clientIP, reason: reason, tenant: tenant)
        pending.withLock { table in
            if table[key] == nil && table.count >= maxKeys {
                key.clientIP = "*"
                key.tenant = nil
            }
            table[key, default: 0] += 1
        }
    }

    /// Refusals counted and not yet written.
    var pendingCount: Int { pending.withLock { $0.values.reduce(0, +) } }

    /// Writes one row per key whose minute is over (every key when `everything`); returns the rows written.
    /// Rows that cannot be written are kept for the next flush.
    @discardableResult
    public func flush(everything: Bool = false) async throws -> Int {
        let current = clock.now / 60_000
        let due = pending.withLock { table -> [Key: Int] in
            let due = table.filter { everything || $0.key.minute < current }
            for key in due.keys { table.removeValue(forKey: key) }
            return due
        }
        guard !due.isEmpty else { return 0 }
        let entries = due.sorted { ($0.key.minute, $0.key.clientIP, $0.key.reason) < ($1.key.minute, $1.key.clientIP, $1.key.reason) }.map { key, count in
            AuditEntry(
                tenant: key.tenant, actor: "anonymous", action: .accessDenied, outcome: .denied, clientIP: key.clientIP,
                details: AuditTrail.details([
                    "reason": .string(key.reason), "count": .integer(Int64(count)),
                    "minute": .string(Timestamp.iso8601(milliseconds: key.minute * 60_000)),
                ])
            )
        }
        do {
            try await audit.append(entries)
        } catch {
            pending.withLock { table in
                for (key, count) in due { table[key, default: 0] += count }
            }
            throw error
        }
        return entries.count
    }

    /// Flushes every few seconds (rows appear shortly after their minute ends); cancel the task to stop.
    @discardableResult
    public func start(every interval: Duration = .seconds(5)) -> Task<Void, Never> {
        Task.detached(priority: .background) { [weak self] in
            let logger = Logger(label: "weavr-gateway.audit")
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                do {
                    try await self.flush()
                } catch {
                    logger.warning("access denial rows not written yet", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
