import CSystem
import Glibc
import Synchronization

/// Something registered with an event loop for readiness events on one file descriptor.
///
/// Called only on the loop's thread.
package protocol EventLoopHandler: AnyObject {
    /// `events` is the epoll event mask (EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLHUP, EPOLLERR).
    func handleEvents(_ events: UInt32)
}

/// Output written at the end of a loop iteration (`EventLoop.flushAtEndOfIteration`).
package protocol DeferredFlush: AnyObject {
    func flushDeferred()
}

/// One epoll loop on one thread. Also a `TaskExecutor`, so that request handlers started on this loop
/// resume here after they suspend: no thread hop per request.
///
/// Everything that mutates loop state (handlers, timers, connections) happens on the loop thread;
/// other threads may only call `execute`, `enqueue` and `stop`.
public final class EventLoop: TaskExecutor, @unchecked Sendable {
    /// The loop's index within its group.
    public let index: Int
    let epollFD: Int32
    let wakeFD: Int32
    private var thread: pthread_t = 0
    private let started = Mutex(false)

    private var handlers: [(any EventLoopHandler)?] = []
    private var readyJobs: [UnownedJob] = []
    private var readyClosures: [() -> Void] = []
    private var deferredFlushes: [any DeferredFlush] = []
    /// The lists being run, swapped with the ones above: each pair's storage is reused, iteration after
    /// iteration (taking a list and emptying it in place allocated a new one every time).
    private var runningJobs: [UnownedJob] = []
    private var runningClosures: [() -> Void] = []
    private var runningFlushes: [any DeferredFlush] = []
    private let remote = Mutex(RemoteWork())
    private var timers = TimerHeap()
    private var running = true
    private var stopped = false

    /// Monotonic time in nanoseconds, refreshed once per loop iteration.
    public private(set) var now: UInt64 = EventLoop.monotonicNanoseconds()

    /// A read buffer shared by every connection of this loop (they are served one at a time).
    package var readBuffer: UnsafeMutableRawBufferPointer

    /// Periodic callbacks run on every tick (connection timeouts are swept this way).
    private var tickHandlers: [(id: Int, body: (UInt64) -> Void)] = []
    private var nextTickID = 0
    package var tickInterval: UInt64 = 250_000_000
    private var lastTick: UInt64 = 0

    struct RemoteWork {
        var jobs: [UnownedJob] = []
        var closures: [@Sendable () -> Void] = []
        var signalled = false
    }

    init(index: Int, readBufferSize: Int = 64 * 1024) {
        self.index = index
        epollFD = csys_epoll_create()
        precondition(epollFD >= 0, "epoll_create1 failed: errno \(errno)")
        wakeFD = csys_eventfd()
        precondition(wakeFD >= 0, "eventfd failed: errno \(errno)")
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        _ = csys_epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, csys_EPOLLIN)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
        readBuffer.deallocate()
    }

    /// True when called on this loop's thread.
    public var inEventLoop: Bool {
        pthread_equal(pthread_self(), thread) != 0
    }

    // MARK: registration (loop thread only)

    package func register(fd: Int32, events: UInt32, handler: any EventLoopHandler) -> Bool {
        let i = Int(fd)
        if i >= handlers.count {
            handlers.append(contentsOf: repeatElement(nil, count: max(i + 1 - handlers.count, handlers.count)))
        }
        handlers[i] = handler
        if csys_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, events) != 0 {
            handlers[i] = nil
            return false
        }
        return true
    }

    package func modify(fd: Int32, events: UInt32) {
        _ = csys_epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, events)
    }

    package func deregister(fd: Int32) {
        _ = csys_epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, 0)
        let i = Int(fd)
        if i < handlers.count { handlers[i] = nil }
    }

    // MARK: work from any thread

    /// Runs `body` on the loop thread (soon; never inline).
    public func execute(_ body: @escaping @Sendable () -> Void) {
        let wake = remote.withLock { work -> Bool in
            work.closures.append(body)
            defer { work.signalled = true }
            return !work.signalled
        }
        if wake { signal() }
    }

    /// Runs `body` on the loop thread: inline when already there, otherwise like `execute`.
    package func executeLocal(_ body: @escaping () -> Void) {
        readyClosures.append(body)
    }

    /// Has `target` write its output once this iteration's events and ready jobs have run, before the loop
    /// waits again (loop thread only). Responses finished in one iteration then leave together: the peer
    /// (a client, or an upstream server) is woken once for all of them instead of once each, which is most
    /// of what a send costs when the peer sleeps. Call once per target per iteration (the target remembers).
    package func flushAtEndOfIteration(_ target: any DeferredFlush) {
        deferredFlushes.append(target)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if inEventLoop {
            readyJobs.append(unowned)
            return
        }
        let wake = remote.withLock { work -> Bool in
            work.jobs.append(unowned)
            defer { work.signalled = true }
            return !work.signalled
        }
        if wake { signal() }
    }

    private func signal() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: timers (loop thread only)

    /// Calls `body` on the loop thread once `deadline` (monotonic ns) has passed. Returns an id for `cancelTimer`.
    @discardableResult
    package func schedule(at deadline: UInt64, _ body: @escaping () -> Void) -> TimerID {
        timers.insert(deadline: deadline, body)
    }

    package func cancelTimer(_ id: TimerID) {
        timers.cancel(id)
    }

    /// Registers a callback run every `tickInterval` with the loop's current time.
    package func addTickHandler(_ body: @escaping (UInt64) -> Void) -> Int {
        nextTickID += 1
        tickHandlers.append((nextTickID, body))
        return nextTickID
    }

    package func removeTickHandler(_ id: Int) {
        tickHandlers.removeAll { $0.id == id }
    }

    /// Suspends the calling task for `nanoseconds` using this loop's timers (call from a task running on this loop).
    public func sleep(nanoseconds: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let deadline = EventLoop.monotonicNanoseconds() &+ nanoseconds
            if inEventLoop {
                schedule(at: deadline) { continuation.resume() }
            } else {
                execute { [self] in schedule(at: deadline) { continuation.resume() } }
            }
        }
    }

    // MARK: the loop

    func start(name: String) {
        let box = Unmanaged.passRetained(self)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        var tid: pthread_t = 0
        let rc = pthread_create(&tid, &attributes, { raw in
            let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
            loop.run()
            return nil
        }, box.toOpaque())
        precondition(rc == 0, "pthread_create failed: \(rc)")
        pthread_attr_destroy(&attributes)
        thread = tid
        started.withLock { $0 = true }
        _ = name
    }

    /// Asks the loop to exit after its current iteration and waits for its thread to end.
    func stopAndJoin() {
        execute { [self] in running = false }
        if !inEventLoop, started.withLock({ $0 }) {
            pthread_join(thread, nil)
        }
    }

    private func run() {
        thread = pthread_self()
        _ = csys_block_sigpipe()
        let capacity = 256
        let fds = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        let masks = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        defer {
            fds.deallocate()
            masks.deallocate()
        }
        lastTick = EventLoop.monotonicNanoseconds()
        while running {
            var timeoutMS: Int32 = -1
            runDeferredFlushes()
            if !readyJobs.isEmpty || !readyClosures.isEmpty {
                timeoutMS = 0
            } else {
                let nextTick = lastTick &+ tickInterval
                var until = nextTick
                if let t = timers.nextDeadline, t < until { until = t }
                let current = EventLoop.monotonicNanoseconds()
                timeoutMS = until <= current ? 0 : Int32(min((until - current + 999_999) / 1_000_000, 60_000))
            }
            let n = csys_epoll_wait(epollFD, fds, masks, Int32(capacity), timeoutMS)
            now = EventLoop.monotonicNanoseconds()
            if n > 0 {
                for i in 0..<Int(n) {
                    let fd = fds[i]
                    if fd == wakeFD {
                        var value: UInt64 = 0
                        _ = read(wakeFD, &value, 8)
                        continue
                    }
                    let idx = Int(fd)
                    if idx < handlers.count, let handler = handlers[idx] {
                        handler.handleEvents(masks[i])
                    }
                }
            }
            drainRemote()
            runReady()
            runDeferredFlushes()
            runTimers()
        }
        // Let remaining jobs finish so no continuation is lost on shutdown.
        drainRemote()
        runReady()
        runDeferredFlushes()
        stopped = true
    }

    private func drainRemote() {
        let work = remote.withLock { work -> RemoteWork in
            let taken = work
            work = RemoteWork()
            return taken
        }
        if !work.jobs.isEmpty { readyJobs.append(contentsOf: work.jobs) }
        for closure in work.closures { readyClosures.append(closure) }
    }

    private func runReady() {
        // Run what is ready now; work queued by these runs waits for the next iteration (no starvation of I/O).
        var rounds = 0
        while (!readyJobs.isEmpty || !readyClosures.isEmpty) && rounds < 4 {
            rounds += 1
            if !readyClosures.isEmpty {
                swap(&readyClosures, &runningClosures)
                for closure in runningClosures { closure() }
                runningClosures.removeAll(keepingCapacity: true)
            }
            if !readyJobs.isEmpty {
                swap(&readyJobs, &runningJobs)
                defer { runningJobs.removeAll(keepingCapacity: true) }
                let executor = asUnownedTaskExecutor()
                for job in runningJobs { job.runSynchronously(on: executor) }
            }
        }
    }

    private func runDeferredFlushes() {
        while !deferredFlushes.isEmpty {
            swap(&deferredFlushes, &runningFlushes)
            defer { runningFlushes.removeAll(keepingCapacity: true) }
            for target in runningFlushes { target.flushDeferred() }
        }
    }

    private func runTimers() {
        now = EventLoop.monotonicNanoseconds()
        while let body = timers.popExpired(now: now) {
            body()
        }
        if now &- lastTick >= tickInterval {
            lastTick = now
            refreshDate()
            for handler in tickHandlers { handler.body(now) }
        }
    }

    /// The current time as an HTTP `Date` value (RFC 9110 §5.6.7 IMF-fixdate), refreshed every tick.
    package private(set) var httpDate: String = EventLoop.formatHTTPDate(time(nil))
    private var httpDateSecond = time(nil)

    private func refreshDate() {
        let t = time(nil)
        if t != httpDateSecond {
            httpDateSecond = t
            httpDate = EventLoop.formatHTTPDate(t)
        }
    }

    static func formatHTTPDate(_ t: time_t) -> String {
        var t = t
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    /// CLOCK_MONOTONIC in nanoseconds.
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
