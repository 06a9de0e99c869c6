import Auth
import GatewayCore
import Storage
import Synchronization

/// The `/readyz` database check: `ok`, `full`, `unwritable` or `timeout`.
///
/// Two facts, both cheap: a tiny real write through the writer (the one `readiness_heartbeat` row: the
/// writer thread runs, `BEGIN IMMEDIATE` gets the lock, a page reaches the WAL and the commit is synced), run
/// at most once per `probeInterval` and reused in between, plus the file not being at `max_page_count`; and
/// the writer's last refused write (`Database.lastWriteFailure`), which counts for `failureWindow` even when
/// the heartbeat fits (a full disk can still take a one-row update while an audit append fails).
final class DatabaseReadiness: Sendable {
    private struct Probe {
        var result: String?
        var time: ContinuousClock.Instant?
        var running = false
    }

    let timeout: Duration
    let failureWindow: Duration
    let probeInterval: Duration
    private let probe = Mutex(Probe())

    init(timeout: Duration, failureWindow: Duration, probeInterval: Duration) {
        self.timeout = timeout
        self.failureWindow = failureWindow
        self.probeInterval = probeInterval
    }

    /// The check's answer now.
    func check(_ database: Database, clock: any WallClock) async -> String {
        let now = ContinuousClock.now
        let reused: String? = probe.withLock { probe in
            if let result = probe.result, let time = probe.time, now - time < probeInterval || probe.running { return result }
            probe.running = true
            return nil
        }
        let probed: String
        if let reused {
            probed = reused
        } else {
            probed = await Self.heartbeat(database, writtenAt: clock.now, timeout: timeout)
            probe.withLock { $0 = Probe(result: probed, time: .now, running: false) }
        }
        guard probed == "ok" else { return probed }
        if let failure = database.lastWriteFailure, ContinuousClock.now - failure.time < failureWindow,
           let reason = Self.reason(failure.error) {
            return reason
        }
        return "ok"
    }

    /// The readiness reason for a refused write; nil for the transient ones (busy, locked) and for `closed`,
    /// which the heartbeat itself reports.
    static func reason(_ error: StorageError) -> String? {
        switch error {
        case .full: "full"
        case .readOnly, .ioError: "unwritable"
        default: nil
        }
    }

    /// Rewrites the heartbeat row and checks the page limit, within `timeout`.
    private static func heartbeat(_ database: Database, writtenAt: Int64, timeout: Duration) async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                once.resume("timeout")
            }
            Task {
                do {
                    let full = try await database.write { connection in
                        try connection.run(
                            "INSERT INTO readiness_heartbeat (id, written_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at",
                            [.integer(writtenAt)]
                        )
                        // SQLite's page limit (`max_page_count`); PostgreSQL reports a full disk as an error.
                        guard connection.dialect == .sqlite else { return false }
                        let pages = try connection.query("PRAGMA page_count")
                        let limit = try connection.query("PRAGMA max_page_count")
                        let free = try connection.query("PRAGMA freelist_count")
                        guard case .integer(let count) = pages.first?[0], case .integer(let max) = limit.first?[0],
                              case .integer(let freePages) = free.first?[0] else { return false }
                        return count >= max && freePages == 0
                    }
                    once.resume(full ? "full" : "ok")
                } catch {
                    once.resume((error as? StorageError).flatMap(reason) ?? "unwritable")
                }
                timer.cancel()
            }
        }
    }
}

/// Resumes a continuation from whichever of several racers comes first.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
