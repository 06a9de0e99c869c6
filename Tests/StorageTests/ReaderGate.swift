import Dispatch
import Storage
import Synchronization

/// Holds a reader thread inside a read until opened, so that no reader is free meanwhile.
final class ReaderGate: Sendable {
    private let isHeld = Mutex(false)
    private let opening = DispatchSemaphore(value: 0)

    /// Starts a read that blocks its reader thread until `open()`.
    func hold(_ database: Database) -> Task<Void, any Error> {
        Task {
            try await database.read { [self] _ in
                isHeld.withLock { $0 = true }
                _ = opening.wait(timeout: .now() + 30)
            }
        }
    }

    /// Returns once a reader thread is inside the holding read.
    func waitUntilHeld() async throws {
        try await waitUntil { self.isHeld.withLock { $0 } }
    }

    /// Lets the reader thread go on.
    func open() {
        opening.signal()
    }
}
