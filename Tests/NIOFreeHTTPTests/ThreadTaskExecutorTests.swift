import GatewayCore
import NIOFreeHTTP
import Testing

/// `ThreadTaskExecutor`: an event loop registers itself on its thread, so that background work started there runs
/// on that loop, not on the cooperative pool.
struct ThreadTaskExecutorTests {
    @Test func anEventLoopIsItsThreadsExecutorAndNoOtherThreadsIs() async throws {
        let group = EventLoopGroup(threads: 2)
        defer { group.shutdown() }
        for loop in group.loops {
            let seen: (any TaskExecutor)? = await withCheckedContinuation { continuation in
                loop.execute { continuation.resume(returning: ThreadTaskExecutor.current) }
            }
            let registered = try #require(seen as? EventLoop, "the loop's thread has no executor registered")
            #expect(registered === loop)
        }
        // A thread of the cooperative pool (this test's own task) has none.
        let onPool = await Task.detached { ThreadTaskExecutor.current }.value
        #expect(onPool == nil)
    }

    @Test func aTaskStartedOnALoopWithItsExecutorRunsOnThatLoop() async throws {
        let group = EventLoopGroup(threads: 2)
        defer { group.shutdown() }
        let loop = group.loops[1]
        let ranOnLoop: Bool = await withCheckedContinuation { continuation in
            loop.execute {
                Task(executorPreference: ThreadTaskExecutor.current) {
                    // Suspend once, so that the check is after a resumption, not only the start.
                    await Task.yield()
                    continuation.resume(returning: loop.inEventLoop)
                }
            }
        }
        #expect(ranOnLoop)
    }

    @Test func aLoopThatStoppedNoLongerHoldsItsRegistration() async throws {
        weak var stopped: EventLoop?
        do {
            let group = EventLoopGroup(threads: 1)
            stopped = group.loops[0]
            group.shutdown()
        }
        // The thread cleared its registration as it ended: nothing keeps the loop alive.
        #expect(stopped == nil)
    }
}
