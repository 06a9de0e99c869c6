public import Foundation
import Synchronization

private let launches = Mutex(())

extension Process {
    /// `run()`, one launch at a time in the whole test process: Foundation's `Process.run()` on Linux is not
    /// safe to call from several threads at once (a parallel `swift test` crashed in it), so every test
    /// target starts its child processes through this.
    public func runSerialized() throws {
        try launches.withLock { _ in try run() }
    }
}
