#if canImport(Glibc)
import GatewayCore
import Glibc
#endif
public import Logging

/// A swift-log handler writing one JSON object per line: `time` (ISO 8601, UTC, milliseconds), `level`,
/// `logger`, `message`, then the metadata (handler, provider, call site; later wins).
///
/// Each line goes out in a single `write(2)` to the sink (standard error by default), so lines from
/// different threads never interleave and nothing is buffered in the process. Metadata keys that name a
/// secret (`password`, `token`, `api-key`, `authorization`, `cookie`, `secret`, `pan`, `cvv` …) are written
/// as `"[redacted]"` — a second line of defence: callers must not log secrets in the first place.
public struct JSONLogHandler: LogHandler {
    /// Where finished lines (with their trailing newline) go.
    public typealias Sink = @Sendable ([UInt8]) -> Void

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    let label: String
    let sink: Sink

    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil, sink: @escaping Sink = JSONLogHandler.standardError) {
        self.label = label
        logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    /// Writes `line` to file descriptor 2 with one `write(2)` (retrying a short write).
    public static let standardError: Sink = { line in
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let given = event.metadata { fields.merge(given) { $1 } }
        var line = JSONLine()
        line.field("time", Self.timestamp())
        line.field("level", event.level.rawValue)
        line.field("logger", label)
        line.field("message", event.message.description)
        if let error = event.error { line.field("error", String(describing: type(of: error))) }
        for key in fields.keys.sorted() where !Self.reserved.contains(key) {
            if Self.isSecret(key) {
                line.field(key, "[redacted]")
            } else {
                line.key(key)
                line.value(fields[key]!)
            }
        }
        sink(line.finish())
    }

    static let reserved: Set<String> = ["time", "level", "logger", "message", "error"]
    private static let secretWords = ["password", "token", "api-key", "api_key", "apikey", "authorization", "cookie", "secret", "cvv", "card_number", "pan_"]

    /// True for metadata keys that name a secret.
    static func isSecret(_ key: String) -> Bool {
        let key = key.lowercased()
        return key == "pan" || secretWords.contains { key.contains($0) }
    }

    /// Now as `2026-01-31T23:59:59.123Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return timestamp(milliseconds: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    /// Milliseconds since the epoch as ISO 8601 UTC (days-to-civil: H. Hinnant, "chrono-Compatible Low-Level
    /// Date Algorithms").
    static func timestamp(milliseconds: Int64) -> String {
        let seconds = milliseconds.floorDivided(by: 1000)
        let millis = milliseconds - seconds * 1000
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(millis, 3))Z"
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// Builds one JSON object line with RFC 8259 string escaping.
struct JSONLine {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    init() {
        bytes.reserveCapacity(256)
    }

    mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    mutating func value(_ metadataValue: Logger.MetadataValue) {
        switch metadataValue {
        case .string(let text):
            string(text)
        case .stringConvertible(let convertible):
            if let number = convertible as? any BinaryInteger {
                bytes += Array(String(describing: number).utf8)
            } else if let number = convertible as? Double, number.isFinite {
                bytes += Array(String(number).utf8)
            } else if let flag = convertible as? Bool {
                bytes += Array((flag ? "true" : "false").utf8)
            } else {
                string(convertible.description)
            }
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(key)
                bytes.append(UInt8(ascii: ":"))
                if JSONLogHandler.isSecret(key) { string("[redacted]") } else { value(dictionary[key]!) }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    mutating func finish() -> [UInt8] {
        bytes += [UInt8(ascii: "}"), UInt8(ascii: "\n")]
        return bytes
    }

    private mutating func string(_ text: String) {
        JSONString.appendQuoted(text, to: &bytes)
    }
}
