/// A first-in, first-out queue over one array: taking the oldest moves an index instead of shifting the rest.
///
/// The storage is emptied in place when the queue empties (kept for the next elements), or compacted once
/// `compactAfter` taken elements make up at least half of it, so taken elements are not kept alive while new
/// ones keep coming. Inlinable: it sits on the request path, and a generic call into another module per request
/// would not be specialised.
public struct FIFOQueue<Element> {
    @usableFromInline var elements: [Element] = []
    @usableFromInline var head = 0
    @usableFromInline let compactAfter: Int

    @inlinable
    public init(compactAfter: Int = 64) {
        self.compactAfter = max(1, compactAfter)
    }

    /// Elements waiting.
    @inlinable
    public var count: Int { elements.count - head }

    @inlinable
    public var isEmpty: Bool { head == elements.count }

    /// The oldest element, left in place.
    @inlinable
    public var first: Element? { isEmpty ? nil : elements[head] }

    @inlinable
    public mutating func append(_ element: Element) {
        elements.append(element)
    }

    /// Removes and returns the oldest element; nil when empty.
    @inlinable
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
    @inlinable @discardableResult
    public mutating func removeAll() -> [Element] {
        let waiting = Array(elements[head...])
        clearStorage()
        return waiting
    }

    @inlinable
    mutating func clearStorage() {
        elements.removeAll(keepingCapacity: true)
        head = 0
    }
}

extension FIFOQueue: Sendable where Element: Sendable {}
