/// Ordered header fields. Lookup is ASCII case-insensitive; names keep their original spelling.
public struct HTTPHeaders: Sendable, Sequence, Equatable, ExpressibleByDictionaryLiteral {
    /// One field: its name as spelled and its value.
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    /// Creates an empty field list.
    public init() {
        fields = []
    }

    /// Creates a field list from name/value pairs, keeping their order.
    public init(_ pairs: [(String, String)]) {
        fields = []
        fields.reserveCapacity(Swift.max(Self.initialCapacity, pairs.count))
        for (name, value) in pairs { fields.append((name: name, value: value)) }
    }

    /// Room made at the first field: a message's fields are rarely more, and one allocation instead of the
    /// four of growing one at a time (1, 2, 4, 8) as middlewares add theirs.
    static let initialCapacity = 8

    /// Creates a field list from a literal, keeping its order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of the field `name`, or nil.
    public subscript(_ name: String) -> String? {
        for field in fields where Self.asciiEqualsIgnoringCase(field.name, name) {
            return field.value
        }
        return nil
    }

    /// Every value of the field `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.lazy.filter { Self.asciiEqualsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// Whether a field `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.asciiEqualsIgnoringCase($0.name, name) }
    }

    /// Appends a field, keeping any existing ones with the same name.
    public mutating func add(_ name: String, _ value: String) {
        if fields.count == fields.capacity { fields.reserveCapacity(Swift.max(Self.initialCapacity, 2 * fields.count)) }
        fields.append((name: name, value: value))
    }

    /// Replaces the first field `name` and removes the others, or appends it when absent.
    public mutating func replaceOrAdd(_ name: String, _ value: String) {
        guard let index = fields.firstIndex(where: { Self.asciiEqualsIgnoringCase($0.name, name) }) else {
            add(name, value)
            return
        }
        fields[index].value = value
        var next = index + 1
        while next < fields.count {
            if Self.asciiEqualsIgnoringCase(fields[next].name, name) {
                fields.remove(at: next)
            } else {
                next += 1
            }
        }
    }

    /// Removes every field `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.asciiEqualsIgnoringCase($0.name, name) }
    }

    mutating func reserveCapacity(_ minimumCapacity: Int) {
        fields.reserveCapacity(minimumCapacity)
    }

    /// The number of fields, counting repeated names separately.
    public var count: Int { fields.count }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        fields.makeIterator()
    }

    /// Equal when both hold the same fields, same spelling, same order.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    static func asciiEqualsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        // Native strings (every field the parser makes, every literal): compare their bytes in place.
        let compared = lhs.utf8.withContiguousStorageIfAvailable { a in
            rhs.utf8.withContiguousStorageIfAvailable { b in asciiEqualsIgnoringCase(a, b) }
        }
        if let compared, let result = compared { return result }
        for (x, y) in zip(lhs.utf8, rhs.utf8) where x != y {
            guard HTTPByteClass.lowercased(x) == HTTPByteClass.lowercased(y) else { return false }
        }
        return true
    }

    private static func asciiEqualsIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<a.count where a[i] != b[i] {
            guard HTTPByteClass.lowercased(a[i]) == HTTPByteClass.lowercased(b[i]) else { return false }
        }
        return true
    }
}
