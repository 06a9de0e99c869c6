internal import CLibPQ
import Synchronization
#if canImport(Glibc)
internal import Glibc
#endif

/// Where a listener connects: the database's URL and session settings (kept by `Database.connect`).
struct PostgresListenTarget: Sendable {
    let url: String
    let settings: PostgresConnection.Settings
}

/// PostgreSQL `LISTEN` on one channel, on its own connection and thread (docs/ARCHITECTURE.md, "Weavr's
/// events"): every notification on the channel — a `pg_notify` committed by any instance — calls `onNotify`.
/// The thread waits in `poll(2)` on the connection's socket (at most 250 ms at a time, so `stop()` is
/// prompt). A broken connection is reopened with libpq's backoff (100 ms doubling to 5 s), and after every
/// (re)connect `onNotify` is called once, because notifications sent while it was away are lost: the caller
/// reads what it missed. `onNotify` runs on the listener's thread and must not block.
public final class PostgresNotificationListener: Sendable {
    private struct State {
        var stopped = false
        var listening = false
        var notifications = 0
        var connects = 0
    }

    private let state = Mutex(State())
    private let thread: Mutex<DedicatedThread?> = Mutex(nil)

    /// Starts listening on `channel` (a plain identifier) of `database`; nil on SQLite.
    public static func start(
        on database: Database, channel: String, onNotify: @escaping @Sendable () -> Void
    ) -> PostgresNotificationListener? {
        guard let target = database.listenTarget,
              !channel.isEmpty, channel.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || ($0 >= 0x30 && $0 <= 0x39) })
        else { return nil }
        let listener = PostgresNotificationListener()
        let started = DedicatedThread(name: "pg-listen") { [listener] in
            listener.run(target: target, channel: channel, onNotify: onNotify)
        }
        listener.thread.withLock { $0 = started }
        return listener
    }

    /// True while the `LISTEN` is in place (tests wait on it before they notify).
    public var isListening: Bool { state.withLock { $0.listening } }
    /// Notifications received so far.
    public var notificationCount: Int { state.withLock { $0.notifications } }
    /// Successful connects so far (1 + reconnects).
    public var connectCount: Int { state.withLock { $0.connects } }

    /// Stops the thread and closes the connection; waits for both.
    public func stop() {
        state.withLock { $0.stopped = true }
        let thread = self.thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        thread?.join()
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func run(target: PostgresListenTarget, channel: String, onNotify: @Sendable () -> Void) {
        var connection: PostgresConnection?
        defer { connection?.close() }
        while !isStopped {
            if connection == nil || connection?.isConnected == false {
                state.withLock { $0.listening = false }
                let next = connection ?? PostgresConnection(url: target.url, settings: target.settings)
                next.reconnectIfBroken()
                connection = next
                guard next.isConnected, (try? next.execute("LISTEN \(channel)")) != nil else {
                    // Not up yet: wait a little (reconnectIfBroken keeps its own backoff).
                    var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
                    nanosleep(&pause, nil)
                    continue
                }
                state.withLock {
                    $0.listening = true
                    $0.connects += 1
                }
                onNotify()
            }
            guard let connection else { continue }
            switch connection.waitForNotifications(timeoutMilliseconds: 250) {
            case .some(let count) where count > 0:
                state.withLock { $0.notifications += count }
                onNotify()
            case .some:
                break
            case .none:
                // The connection broke: the next turn reconnects.
                state.withLock { $0.listening = false }
            }
        }
    }
}

extension PostgresConnection {
    /// Waits up to `timeoutMilliseconds` for the socket to be readable, then takes in what arrived and counts
    /// the notifications; nil when the connection is broken.
    func waitForNotifications(timeoutMilliseconds: Int32) -> Int? {
        guard let handle = rawHandle, PQstatus(handle) == CONNECTION_OK else { return nil }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return nil }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0 { return errno == EINTR ? 0 : nil }
        if ready > 0 {
            guard PQconsumeInput(handle) == 1 else { return nil }
        }
        var count = 0
        while let notification = PQnotifies(handle) {
            count += 1
            PQfreemem(notification)
        }
        return PQstatus(handle) == CONNECTION_OK ? count : nil
    }
}
