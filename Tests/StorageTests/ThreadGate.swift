import Dispatch
import Storage
import TestSupport
import Synchronization

/// Holds the writer thread or a reader thread inside a job until opened: writes enqueued
/// meanwhile all land in the next batch, and no reader is free for other reads.
final class ThreadGate: Sendable {
    private let isHeld = Mutex(false)
    private let opening = DispatchSemaphore(value: 0)

    /// Starts a write that blocks the writer thread until `open()`.
    func hold(_ database: Database) -> Task<Void, any Error> {
        Task {
            try await database.write { [self] _ in wait() }
        }
    }

    /// Starts a read that blocks its reader thread until `open()`.
    func holdReader(_ database: Database) -> Task<Void, any Error> {
        Task {
            try await database.read { [self] _ in wait() }
        }
    }

    /// Returns once the held thread is inside the holding job.
    func waitUntilHeld() async throws {
        try await waitUntil { self.isHeld.withLock { $0 } }
    }

    /// Lets the held thread go on.
    func open() {
        opening.signal()
    }

    private func wait() {
        isHeld.withLock { $0 = true }
        _ = opening.wait(timeout: .now() + 30)
    }
}
