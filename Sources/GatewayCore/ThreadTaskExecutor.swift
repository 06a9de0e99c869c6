#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The task executor that runs on the current thread, if one registered itself there: an event loop does, on its
/// own thread. Work that a request's task starts in the background (a batch's drain, `Task(executorPreference:
/// ThreadTaskExecutor.current)`) then runs on the same loop as the requests it answers, instead of on the
/// cooperative pool, from where every answer would be a hop back to the loop. Elsewhere it is nil, and such a task
/// runs on the pool as before.
public enum ThreadTaskExecutor {
    private final class Registration {
        let executor: any TaskExecutor
        init(_ executor: any TaskExecutor) { self.executor = executor }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key, nil)
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    /// The executor registered on this thread.
    public static var current: (any TaskExecutor)? {
        guard let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<Registration>.fromOpaque(raw).takeUnretainedValue().executor
    }

    /// Registers `executor` as this thread's (nil: none). Call it on the thread itself; it holds the executor
    /// until replaced, so clear it before the thread ends.
    public static func register(_ executor: (any TaskExecutor)?) {
        if let raw = pthread_getspecific(key) {
            Unmanaged<Registration>.fromOpaque(raw).release()
        }
        let registration = executor.map { Unmanaged.passRetained(Registration($0)).toOpaque() }
        pthread_setspecific(key, registration)
    }
}
