/// The label values of one series, up to four, held inline: a series is found per request without building an
/// array (recording a request's metrics allocated two arrays before).
public struct MetricLabels: Hashable, Sendable {
    public static let maxCount = 4

    private var v0 = "", v1 = "", v2 = "", v3 = ""
    /// How many values.
    public private(set) var count = 0

    public init() {}

    public init(_ a: String) {
        (v0, count) = (a, 1)
    }

    public init(_ a: String, _ b: String) {
        (v0, v1, count) = (a, b, 2)
    }

    public init(_ a: String, _ b: String, _ c: String) {
        (v0, v1, v2, count) = (a, b, c, 3)
    }

    public init(_ a: String, _ b: String, _ c: String, _ d: String) {
        (v0, v1, v2, v3, count) = (a, b, c, d, 4)
    }

    /// From an array of at most `maxCount` values.
    public init(_ values: [String]) {
        precondition(values.count <= Self.maxCount, "at most \(Self.maxCount) label values")
        count = values.count
        if count > 0 { v0 = values[0] }
        if count > 1 { v1 = values[1] }
        if count > 2 { v2 = values[2] }
        if count > 3 { v3 = values[3] }
    }

    /// `count` values, every one `"other"`: where a new series goes once a family is full.
    static func other(count: Int) -> MetricLabels {
        MetricLabels(Array(repeating: "other", count: count))
    }

    /// The values in order.
    public var values: [String] {
        Array([v0, v1, v2, v3].prefix(count))
    }
}
