import Synchronization

/// A shared counter for test handlers.
final class RunCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// Adds one and returns the new count.
    func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).newValue }

    var count: Int { value.load(ordering: .relaxed) }
}
