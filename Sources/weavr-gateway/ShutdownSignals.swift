import Glibc

/// Blocks SIGINT and SIGTERM in every thread created afterwards and waits for them on a dedicated thread.
final class ShutdownSignals: Sendable {
    init() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Suspends until SIGINT or SIGTERM arrives; returns its name.
    func next() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let box = Unmanaged.passRetained(ContinuationBox(continuation))
            var thread = pthread_t()
            pthread_create(&thread, nil, { raw in
                let box = Unmanaged<ContinuationBox>.fromOpaque(raw!).takeRetainedValue()
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, SIGINT)
                sigaddset(&set, SIGTERM)
                var received: Int32 = 0
                sigwait(&set, &received)
                box.continuation.resume(returning: received == SIGTERM ? "SIGTERM" : "SIGINT")
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
