#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A plain OS thread running one long-lived body, outside Swift's cooperative pool, so
/// that blocking SQLite calls (fsync, busy waits) never starve async tasks.
final class DedicatedThread: @unchecked Sendable {
    private final class Body {
        let name: String
        let run: @Sendable () -> Void
        init(name: String, run: @escaping @Sendable () -> Void) {
            self.name = name
            self.run = run
        }
    }

    #if canImport(Glibc)
    private var thread = pthread_t()
    #else
    private var thread: pthread_t?
    #endif
    private var isJoined = false

    /// Starts a thread running `body`; `name` shows in debuggers where the platform allows.
    init(name: String, body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(name: name, run: body)).toOpaque()
        let resultCode = pthread_create(&thread, nil, { context in
            #if canImport(Glibc)
            // Glibc's pthread_setname_np needs _GNU_SOURCE, which Swift does not import.
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            #else
            let body = Unmanaged<Body>.fromOpaque(context).takeRetainedValue()
            pthread_setname_np(body.name)
            #endif
            body.run()
            return nil
        }, context)
        precondition(resultCode == 0, "pthread_create failed: \(resultCode)")
    }

    /// `true` when called from this thread.
    var isCurrent: Bool {
        #if canImport(Glibc)
        return pthread_equal(pthread_self(), thread) != 0
        #else
        return thread.map { pthread_equal(pthread_self(), $0) != 0 } ?? false
        #endif
    }

    /// Lets the thread's resources go when its body returns, without anyone joining it.
    func detach() {
        guard !isJoined else { return }
        isJoined = true
        #if canImport(Glibc)
        pthread_detach(thread)
        #else
        if let thread { pthread_detach(thread) }
        #endif
    }

    /// Waits for the body to return. Call once, from another thread.
    func join() {
        guard !isJoined else { return }
        isJoined = true
        #if canImport(Glibc)
        pthread_join(thread, nil)
        #else
        if let thread { pthread_join(thread, nil) }
        #endif
    }
}
