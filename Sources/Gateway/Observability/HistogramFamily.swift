import Synchronization

/// A histogram with fixed bucket upper bounds, its series keyed by label values (capped like `MetricFamily`).
public final class HistogramFamily: Sendable {
    struct Series: Sendable {
        var counts: [UInt64]  // per bucket, not cumulative; the last is +Inf
        var sum: Double = 0
        var count: UInt64 = 0

        mutating func record(_ value: Double, bucket: Int) {
            counts[bucket] += 1
            sum += value
            count += 1
        }
    }

    public let name: String
    public let help: String
    public let labelNames: [String]
    /// Upper bounds, ascending; `+Inf` is implied.
    public let buckets: [Double]
    public let maxSeries: Int
    private let series = Mutex<[MetricLabels: Series]>([:])

    /// Latency buckets in seconds, 1 ms … 30 s.
    public static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    public init(_ name: String, help: String, labels: [String] = [], buckets: [Double] = HistogramFamily.latencyBuckets, maxSeries: Int = 500) {
        precondition(zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "buckets must ascend")
        self.name = name
        self.help = help
        labelNames = labels
        self.buckets = buckets
        self.maxSeries = maxSeries
    }

    /// Records one observation.
    public func observe(_ value: Double, _ labels: [String] = []) {
        observe(value, labels: MetricLabels(labels))
    }

    /// Records one observation in the series `labels` (the per-request form: no array).
    public func observe(_ value: Double, labels: MetricLabels) {
        guard value.isFinite else { return }
        let index = buckets.firstIndex(where: { value <= $0 }) ?? buckets.count
        series.withLock { series in
            // The common case, a series seen before: one lookup, counted in place (no copy of its buckets).
            if let existing = series.index(forKey: labels) {
                series.values[existing].record(value, bucket: index)
                return
            }
            let key = MetricFamily.boundedKey(labels, in: series, labelCount: labelNames.count, maxSeries: maxSeries)
            series[key, default: Series(counts: Array(repeating: 0, count: buckets.count + 1))].record(value, bucket: index)
        }
    }

    /// Observations recorded for one series (tests).
    public func count(_ labels: [String] = []) -> UInt64 {
        let labels = MetricLabels(labels)
        return series.withLock { $0[labels]?.count ?? 0 }
    }

    func write(to text: inout PrometheusText) {
        let snapshot = series.withLock { $0 }
        text.header(name, help: help, type: "histogram")
        let names = labelNames + ["le"]
        for (labels, entry) in snapshot.map({ ($0.key.values, $0.value) }).sorted(by: { $0.0.lexicographicallyPrecedes($1.0) }) {
            var cumulative: UInt64 = 0
            for (bound, count) in zip(buckets, entry.counts) {
                cumulative += count
                text.sample(name + "_bucket", names, labels + [PrometheusText.number(bound)], Double(cumulative))
            }
            text.sample(name + "_bucket", names, labels + ["+Inf"], Double(entry.count))
            text.sample(name + "_sum", labelNames, labels, entry.sum)
            text.sample(name + "_count", labelNames, labels, Double(entry.count))
        }
    }
}
