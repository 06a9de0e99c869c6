/// The row count of a table and an order-independent digest of every value in it: the wrapping sum
/// of each row's hash.
///
/// The hash is Swift's `Hasher` (SipHash with a key drawn once per process), so digests compare only
/// within one process, where `DatabaseCopy` computes both sides: the source's while reading it, the
/// target's by reading it back. Equal digests of two tables with unique keys mean the same rows, value
/// for value and byte for byte, whatever order each engine returns them in.
struct TableDigest: Sendable, Hashable {
    private(set) var rows = 0
    private var sum: UInt64 = 0

    mutating func add(_ values: [SQLValue]) {
        var hasher = Hasher()
        hasher.combine(values)
        sum &+= UInt64(truncatingIfNeeded: hasher.finalize())
        rows += 1
    }
}
