import Logging
public import Storage
import Synchronization

/// Notices changes to tenants and signing keys made by any writer of the database — this process, the
/// `tenant` and `keys` commands, another instance — by polling the one-row generation counter that
/// triggers bump (`Migrations.storeChanges`), and runs `onChange` when it moved. Polling every 250 ms
/// costs one indexed read of one row; a change is in force within about a quarter of a second.
public final class StoreChangeWatcher: Sendable {
    private let database: Database
    private let seen = Atomic<Int64>(-1)
    private let onChange: @Sendable () async -> Void

    /// Reads the counter's current value; `onChange` runs (awaited) after each observed change, before
    /// `check()` returns.
    public init(database: Database, onChange: @escaping @Sendable () async -> Void) async {
        self.database = database
        self.onChange = onChange
        if let current = try? await Self.read(database) { seen.store(current, ordering: .relaxed) }
    }

    /// The generation last seen (-1 before the first successful read).
    public var generation: Int64 { seen.load(ordering: .relaxed) }

    /// Reads the counter once; runs `onChange` and returns true when it moved since the last read.
    @discardableResult
    public func check() async throws -> Bool {
        let current = try await Self.read(database)
        let previous = seen.exchange(current, ordering: .relaxed)
        guard previous != current else { return false }
        await onChange()
        return true
    }

    /// Polls every `interval` until the task is cancelled; a failed read is logged and retried.
    @discardableResult
    public func start(every interval: Duration = .milliseconds(250)) -> Task<Void, Never> {
        Task.detached { [weak self] in
            let logger = Logger(label: "weavr-gateway.changes")
            var failing = false
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                do {
                    try await self.check()
                    failing = false
                } catch {
                    if !failing { logger.warning("cannot read the change counter", metadata: ["error": "\(error)"]) }
                    failing = true
                }
            }
        }
    }

    private static func read(_ database: Database) async throws -> Int64 {
        try await database.read { connection in
            try connection.query("SELECT generation FROM store_changes WHERE id = 1").first?[0].int64Value ?? 0
        }
    }
}
