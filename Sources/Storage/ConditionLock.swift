#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A pthread mutex with condition variables (one unless asked for more), for threads that must block: the
/// writer and reader threads waiting for jobs, and the read timer waiting for a deadline. Each `wait`,
/// `signal` and `broadcast` names its condition (default: the first), so threads waiting for different
/// things are not woken for each other's events.
final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let conditionCount: Int

    init(conditions count: Int = 1) {
        precondition(count >= 1)
        conditionCount = count
        conditions = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: count)
        pthread_mutex_init(mutex, nil)
        for index in 0..<count {
            #if canImport(Glibc)
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            pthread_cond_init(conditions + index, &attributes)
            pthread_condattr_destroy(&attributes)
            #else
            pthread_cond_init(conditions + index, nil)
            #endif
        }
    }

    deinit {
        for index in 0..<conditionCount { pthread_cond_destroy(conditions + index) }
        pthread_mutex_destroy(mutex)
        conditions.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` holding the mutex.
    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Releases the mutex until signalled, then takes it again. Call inside `withLock`.
    func wait(_ index: Int = 0) {
        pthread_cond_wait(conditions + index, mutex)
    }

    /// Like `wait()`, giving up after `timeout`; returns `false` when it timed out.
    /// Call inside `withLock`.
    func wait(timeout: Duration, _ index: Int = 0) -> Bool {
        let condition = conditions + index
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = max(0, Int(attoseconds / 1_000_000_000))
        #if canImport(Glibc)
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let total = Int(deadline.tv_nsec) + nanoseconds
        deadline.tv_sec += Int(max(0, seconds)) + total / 1_000_000_000
        deadline.tv_nsec = total % 1_000_000_000
        return pthread_cond_timedwait(condition, mutex, &deadline) != ETIMEDOUT
        #else
        var relative = timespec(tv_sec: Int(max(0, seconds)), tv_nsec: nanoseconds)
        return pthread_cond_timedwait_relative_np(condition, mutex, &relative) != ETIMEDOUT
        #endif
    }

    /// Wakes one waiter.
    func signal(_ index: Int = 0) {
        pthread_cond_signal(conditions + index)
    }

    /// Wakes every waiter.
    func broadcast(_ index: Int = 0) {
        pthread_cond_broadcast(conditions + index)
    }
}
