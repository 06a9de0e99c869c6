import GatewayCore
import Storage

/// Weavr's events in the gateway: the receipts and event log (`WeavrEventStore`), the fan-out to `/v1/events`
/// streams (`WeavrEventHub`) and their settings. Built once by `GatewayServices`.
final class WeavrEvents: Sendable {
    let store: WeavrEventStore
    let hub: WeavrEventHub
    let settings: WeavrEventSettings
    /// PostgreSQL: other instances write the log too, so the hub polls it.
    let pollsLog: Bool

    init(database: Database, clock: any WallClock, settings: WeavrEventSettings) async throws {
        store = WeavrEventStore(database: database, clock: clock)
        hub = WeavrEventHub(store: store, settings: settings, startingAfter: try await store.latestSeq())
        self.settings = settings
        pollsLog = database.dialect == .postgres
    }

    /// The background work of a running gateway: polling the log on PostgreSQL (none on SQLite).
    func start() -> [Task<Void, Never>] {
        pollsLog ? [hub.startPolling()] : []
    }
}
