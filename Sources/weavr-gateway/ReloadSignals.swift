import CSystem
import Foundation
import Glibc

nonisolated(unsafe) private var reloadSignalFD: Int32 = -1

/// Turns SIGHUP into reload events, the sibling of ``ShutdownSignals``: the handler only writes to an
/// eventfd (async-signal-safe); a dedicated thread reads it and yields one event per wake-up (SIGHUPs that
/// arrive together become one reload).
final class ReloadSignals: Sendable {
    /// Installs the handler; before it, SIGHUP's default action would end the process.
    init() {
        reloadSignalFD = csys_eventfd_blocking()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var one: UInt64 = 1
            _ = write(reloadSignalFD, &one, 8)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGHUP, &action, nil)
    }

    /// One element per reload request, forever.
    func events() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        Thread.detachNewThread {
            var value: UInt64 = 0
            while true {
                if read(reloadSignalFD, &value, 8) == 8 { continuation.yield() }
            }
        }
        return stream
    }
}
