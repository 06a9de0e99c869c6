import Synchronization

/// A thread-safe counter starting at 1 s (so "0" is never a valid time).
final class ManualCounter: Sendable {
    private let storage = Atomic<UInt64>(1_000_000_000)

    var value: UInt64 { storage.load(ordering: .relaxed) }

    func add(_ amount: UInt64) {
        storage.add(amount, ordering: .relaxed)
    }
}
