import Foundation

/// Runs blocking work (libpq, `CREATE DATABASE`, opening and migrating a database) on a thread of its own and
/// resumes the caller with the result. Swift's cooperative pool has one thread per core; a test that blocks one of
/// them stalls every other test in the parallel run, and their deadlines fire for reasons that are not theirs.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}
