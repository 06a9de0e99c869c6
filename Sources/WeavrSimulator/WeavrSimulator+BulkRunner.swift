import NIOFreeHTTP

extension WeavrSimulator {
    /// Runs a bulk's operations one by one on `loop`, `bulkOperationDelay` apart, until it finishes, is
    /// paused or cancelled, or a newer run (resume) supersedes this one.
    func startBulkRunner(bulkID: String, generation: Int, loop: EventLoop) {
        let delay = configuration.bulkOperationDelay.nanosecondsClamped
        let gate = configuration.bulkOperationGate
        Task(executorPreference: loop) { [self] in
            while true {
                if delay > 0 { await loop.sleep(nanoseconds: delay) }
                if let gate { await gate(bulkID) }
                let now = clock.nowMilliseconds()
                let more = state.withLock { $0.runNextBulkOperation(bulkID: bulkID, generation: generation, now: now) }
                if !more { return }
            }
        }
    }
}
