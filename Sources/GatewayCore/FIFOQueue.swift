/// A first-in, first-out queue over one array: taking the oldest moves an index instead of shifting the rest.
///
/// The storage is emptied in place when the queue empties (kept for the next elements), or compacted once
/// `compactAfter` taken elements make up at least half of it, so taken elements are not kept alive while new
/// ones keep coming.
public struct FIFOQueue<Element> {
    private var elements: [Element] = []
    private var head = 0
    private let compactAfter: Int

    public init(compactAfter: Int = 64) {
        self.compactAfter = max(1, compactAfter)
    }

    /// Elements waiting.
    public var count: Int { elements.count - head }

    public var isEmpty: Bool { head == elements.count }

    /// The oldest element, left in place.
    public var first: Element? { isEmpty ? nil : elements[head] }

    public mutating func append(_ element: Element) {
        elements.append(element)
    }

    /// Removes and returns the oldest element; nil when empty.
    public mutating func popFirst() -> Element? {
        guard !isEmpty else { return nil }
        let element = elements[head]
        head += 1
        if head == elements.count {
            clearStorage()
        } else if head >= compactAfter, head * 2 >= elements.count {
            elements.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Empties the queue; the elements that were waiting, oldest first.
    @discardableResult
    public mutating func removeAll() -> [Element] {
        let waiting = Array(elements[head...])
        clearStorage()
        return waiting
    }

    private mutating func clearStorage() {
        elements.removeAll(keepingCapacity: true)
        head = 0
    }
}

extension FIFOQueue: Sendable where Element: Sendable {}
