import Synchronization

/// A counter or gauge with a fixed list of label names, its series keyed by label values.
///
/// Cardinality is bounded: once `maxSeries` series exist, a new combination of label values is
/// recorded under every label set to `"other"`, so a flood of distinct values cannot grow memory.
public final class MetricFamily: Sendable {
    /// Prometheus metric types this family can be.
    public enum Kind: String, Sendable {
        case counter, gauge
    }

    public let name: String
    public let help: String
    public let kind: Kind
    public let labelNames: [String]
    public let maxSeries: Int
    private let series = Mutex<[MetricLabels: Double]>([:])

    public init(_ name: String, help: String, kind: Kind, labels: [String] = [], maxSeries: Int = 2_000) {
        self.name = name
        self.help = help
        self.kind = kind
        labelNames = labels
        self.maxSeries = maxSeries
    }

    /// Adds `amount` (counters only move up: negative amounts are ignored for them).
    public func add(_ amount: Double = 1, _ labels: [String] = []) {
        add(amount, labels: MetricLabels(labels))
    }

    /// Adds `amount` to the series `labels` (the per-request form: no array).
    public func add(_ amount: Double = 1, labels: MetricLabels) {
        guard kind == .gauge || amount >= 0 else { return }
        series.withLock { series in
            if let existing = series.index(forKey: labels) {
                series.values[existing] += amount
                return
            }
            let key = Self.boundedKey(labels, in: series, labelCount: labelNames.count, maxSeries: maxSeries)
            series[key, default: 0] += amount
        }
    }

    /// Sets a gauge's value.
    public func set(_ value: Double, _ labels: [String] = []) {
        let labels = MetricLabels(labels)
        series.withLock { series in
            let key = Self.boundedKey(labels, in: series, labelCount: labelNames.count, maxSeries: maxSeries)
            series[key] = value
        }
    }

    /// Replaces every series at once (gauges computed at scrape time).
    public func replaceAll(_ values: [[String]: Double]) {
        let bounded = Dictionary(values.prefix(maxSeries).map { (MetricLabels($0.key), $0.value) }, uniquingKeysWith: +)
        series.withLock { $0 = bounded }
    }

    /// The value of one series (tests, readiness).
    public func value(_ labels: [String] = []) -> Double {
        let labels = MetricLabels(labels)
        return series.withLock { $0[labels] ?? 0 }
    }

    /// How many series exist.
    public var seriesCount: Int {
        series.withLock { $0.count }
    }

    func write(to text: inout PrometheusText) {
        let snapshot = series.withLock { $0 }
        text.header(name, help: help, type: kind.rawValue)
        for (labels, value) in snapshot.map({ ($0.key.values, $0.value) }).sorted(by: { $0.0.lexicographicallyPrecedes($1.0) }) {
            text.sample(name, labelNames, labels, value)
        }
    }

    /// `labels` when it already exists or there is room for it, else all `"other"`.
    static func boundedKey<Value>(_ labels: MetricLabels, in series: [MetricLabels: Value], labelCount: Int, maxSeries: Int) -> MetricLabels {
        precondition(labels.count == labelCount, "label values do not match label names")
        if series[labels] != nil || series.count < maxSeries - 1 { return labels }
        return .other(count: labelCount)
    }
}
