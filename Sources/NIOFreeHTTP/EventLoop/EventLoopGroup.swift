import Glibc
import Synchronization

/// A fixed set of event loops, one thread each (by default one per core).
public final class EventLoopGroup: Sendable {
    /// The loops, in index order.
    public let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)

    /// Starts `threads` loops (default: the number of online cores).
    public init(threads: Int = EventLoopGroup.coreCount) {
        precondition(threads > 0, "an event loop group needs at least one thread")
        // Writes to a closed peer must fail with EPIPE, not kill the process (OpenSSL writes with write(2)).
        signal(SIGPIPE, SIG_IGN)
        loops = (0..<threads).map { EventLoop(index: $0) }
        for loop in loops { loop.start(name: "loop-\(loop.index)") }
    }

    /// Round-robin choice of a loop (for client connections and background work).
    public func next() -> EventLoop {
        let i = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[i % loops.count]
    }

    /// Stops every loop and waits for their threads. Call once, not from a loop thread.
    public func shutdown() {
        for loop in loops { loop.stopAndJoin() }
    }

    /// Online CPU cores.
    public static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
