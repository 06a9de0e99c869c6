import CSystem
import Glibc

nonisolated(unsafe) private var shutdownSignalFD: Int32 = -1

/// Turns SIGINT and SIGTERM into a wake-up: the handler only writes to an eventfd (async-signal-safe),
/// whichever thread the kernel picks to run it; `next()` waits on that fd on a dedicated thread.
final class ShutdownSignals: Sendable {
    init() {
        shutdownSignalFD = csys_eventfd_blocking()
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var value = UInt64(number)
                _ = write(shutdownSignalFD, &value, 8)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }

    /// Suspends until SIGINT or SIGTERM arrives; returns its name.
    func next() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let box = Unmanaged.passRetained(ContinuationBox(continuation))
            var thread = pthread_t()
            pthread_create(&thread, nil, { raw in
                let box = Unmanaged<ContinuationBox>.fromOpaque(raw!).takeRetainedValue()
                var value: UInt64 = 0
                while read(shutdownSignalFD, &value, 8) != 8 {}
                // eventfd adds values: a lone SIGTERM reads 15, a lone SIGINT 2.
                box.continuation.resume(returning: value == UInt64(SIGINT) ? "SIGINT" : "SIGTERM")
                return nil
            }, box.toOpaque())
            pthread_detach(thread)
        }
    }

    private final class ContinuationBox {
        let continuation: CheckedContinuation<String, Never>
        init(_ continuation: CheckedContinuation<String, Never>) { self.continuation = continuation }
    }
}
