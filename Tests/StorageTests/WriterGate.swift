import Dispatch
import Storage
import Synchronization

/// Holds the writer thread inside a job until opened, so that the writes enqueued
/// meanwhile all land in the next batch.
final class WriterGate: Sendable {
    private let isHeld = Mutex(false)
    private let opening = DispatchSemaphore(value: 0)

    /// Starts a write that blocks the writer thread until `open()`.
    func hold(_ database: Database) -> Task<Void, any Error> {
        Task {
            try await database.write { [self] _ in
                isHeld.withLock { $0 = true }
                _ = opening.wait(timeout: .now() + 30)
            }
        }
    }

    /// Returns once the writer thread is inside the holding job.
    func waitUntilHeld() async throws {
        try await waitUntil { self.isHeld.withLock { $0 } }
    }

    /// Lets the writer thread go on.
    func open() {
        opening.signal()
    }
}
