/// Long-lived tasks that answer requests one after another, per event loop (confined to its thread).
///
/// A task per request cost about a dozen `malloc`s beyond the handler's own: the task, and a slab of the
/// task's allocator for nearly every async frame of the responder's chain, all freed when the task ended.
/// A worker keeps its slabs: once warm, the frames of the next request reuse them. An idle worker waits on
/// an unsafe continuation (no allocation), the latest to finish first, so the warmest one is taken.
///
/// Up to `maxIdle` workers wait per loop; one that finishes beyond that ends. `stop()` (the server's shutdown)
/// ends the idle ones and those still busy when they finish.
final class RequestWorkers: @unchecked Sendable {
    /// One request for the connection to answer.
    struct Work: Sendable {
        let connection: HTTPServerConnection
        let request: HTTPRequest
        let context: RequestContext
        let head: HTTPRequestHead
    }

    private let loop: EventLoop
    let maxIdle: Int
    private var idle: [UnsafeContinuation<Work?, Never>] = []
    private var stopped = false
    /// Workers started since the server began (tests: they are reused).
    private(set) var started = 0

    init(loop: EventLoop, maxIdle: Int = 128) {
        self.loop = loop
        self.maxIdle = maxIdle
    }

    /// Idle workers now.
    var idleCount: Int { idle.count }

    /// Has `work` answered: by an idle worker (it resumes on this loop once the current job ends) or by a new
    /// one, which starts at once on this thread like `Task.immediate`.
    func run(_ work: Work) {
        if let worker = idle.popLast() {
            worker.resume(returning: work)
            return
        }
        started += 1
        Task.immediate(executorPreference: loop) { [self] in
            var next: Work? = work
            while let current = next {
                await current.connection.answer(current)
                guard !stopped, idle.count < maxIdle else { return }
                next = await withUnsafeContinuation { idle.append($0) }
            }
        }
    }

    /// Ends the idle workers; busy ones end after their request.
    func stop() {
        stopped = true
        let waiting = idle
        idle = []
        for worker in waiting { worker.resume(returning: nil) }
    }
}
