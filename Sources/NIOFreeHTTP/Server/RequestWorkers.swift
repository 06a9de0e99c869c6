import GatewayCore

/// Long-lived tasks that answer requests one after another, per event loop (confined to its thread).
///
/// A task per request cost about a dozen `malloc`s beyond the handler's own: the task, and a slab of the
/// task's allocator for nearly every async frame of the responder's chain, all freed when the task ended.
/// A worker keeps its slabs: once warm, the frames of the next request reuse them.
///
/// Requests wait in arrival order in `pending`; one worker at a time is on its way to them (`woken`: resumed
/// or created, not yet running). A worker answers what waits until a handler suspends; before it answers a
/// request behind which others wait, it makes sure another worker is on its way, so no request waits for a
/// worker that is busy with slow I/O. With nothing on its way, a request wakes the idle worker that finished
/// last (the warmest) or, with none idle, starts one at once on this thread (`Task.immediate`). So a burst of
/// requests whose handlers never suspend is answered by one or two workers, not one each; requests that do
/// suspend each have their own. An idle worker waits on an unsafe continuation (no allocation).
///
/// Up to `maxIdle` workers wait per loop; one that finishes beyond that ends. `stop()` (the server's shutdown)
/// ends the idle ones and those still busy when they finish.
final class RequestWorkers: @unchecked Sendable {
    /// One request for the connection to answer.
    struct Work: Sendable {
        let connection: HTTPServerConnection
        let request: HTTPRequest
        let context: RequestContext
        /// What the answer's framing needs of the request (not its whole head: the request holds its fields).
        let reply: HTTPServerConnection.ReplyShape
    }

    private let loop: EventLoop
    let maxIdle: Int
    /// Requests not yet taken by a worker, oldest first.
    private var pending = FIFOQueue<Work>()
    /// Idle workers; resumed with true to look at `pending`, false to end.
    private var idle: [UnsafeContinuation<Bool, Never>] = []
    /// Workers resumed or created that have not run yet (0 or 1).
    private var woken = 0
    private var stopped = false
    /// Workers started since the server began (tests: they are reused).
    private(set) var started = 0

    init(loop: EventLoop, maxIdle: Int = 128) {
        self.loop = loop
        self.maxIdle = maxIdle
    }

    /// Idle workers now.
    var idleCount: Int { idle.count }

    /// Requests waiting for a worker now.
    var pendingCount: Int { pending.count }

    /// Has `work` answered, in arrival order with the other waiting requests.
    func run(_ work: Work) {
        pending.append(work)
        if woken == 0 { sendWorker(startingInline: true) }
    }

    /// Sends a worker to what waits: the idle one that finished last, or a new one. A new one sent for a
    /// request that just arrived starts at once on this thread; one sent by a worker for the requests behind
    /// the one it takes starts once this loop's current jobs have run (that request goes first).
    private func sendWorker(startingInline: Bool) {
        if let worker = idle.popLast() {
            woken += 1
            worker.resume(returning: true)
            return
        }
        started += 1
        if startingInline {
            Task.immediate(executorPreference: loop) { [self] in
                await answerWhileWaiting()
            }
        } else {
            woken += 1
            Task(executorPreference: loop) { [self] in
                woken -= 1
                await answerWhileWaiting()
            }
        }
    }

    private func answerWhileWaiting() async {
        while true {
            while let work = pending.popFirst() {
                if !pending.isEmpty, woken == 0 { sendWorker(startingInline: false) }
                await work.connection.answer(work)
            }
            guard !stopped, idle.count < maxIdle else { return }
            guard await withUnsafeContinuation({ idle.append($0) }) else { return }
            woken -= 1
        }
    }

    /// Ends the idle workers; busy ones end after the requests waiting now.
    func stop() {
        stopped = true
        let waiting = idle
        idle = []
        for worker in waiting { worker.resume(returning: false) }
    }
}
