import GatewayCore
import Storage
import Synchronization

/// Weavr's events in the gateway: the receipts and event log (`WeavrEventStore`), the fan-out to `/v1/events`
/// streams (`WeavrEventHub`) and their settings. Built once by `GatewayServices`.
final class WeavrEvents: Sendable {
    let store: WeavrEventStore
    let hub: WeavrEventHub
    let settings: WeavrEventSettings
    /// PostgreSQL: other instances write the log too, so the hub listens for their commits (and polls slowly as
    /// a safety net).
    let pollsLog: Bool
    let database: Database
    private let listener = Mutex<PostgresNotificationListener?>(nil)

    /// PostgreSQL: true while this instance's `LISTEN` is in place (tests wait on it).
    var isListening: Bool { listener.withLock { $0?.isListening ?? false } }

    init(database: Database, clock: any WallClock, settings: WeavrEventSettings) async throws {
        store = WeavrEventStore(database: database, clock: clock)
        hub = WeavrEventHub(store: store, settings: settings, startingAfter: try await store.latestSeq())
        self.settings = settings
        pollsLog = database.dialect == .postgres
        self.database = database
    }

    /// The background work of a running gateway on PostgreSQL: `LISTEN weavr_events` on its own connection —
    /// each notification (another instance, or this one, committed an event) makes the hub read the log after
    /// its cursor — and a slow poll of the log as a safety net (`pollInterval`). None on SQLite. Cancel the
    /// tasks to stop; the listener stops with them.
    func start() -> [Task<Void, Never>] {
        guard pollsLog else { return [] }
        let hub = self.hub
        let listener = PostgresNotificationListener.start(on: database, channel: WeavrEventStore.channel) { hub.poke() }
        self.listener.withLock { $0 = listener }
        let stopper = Task.detached {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            listener?.stop()
        }
        return [hub.startPolling(), stopper]
    }
}
