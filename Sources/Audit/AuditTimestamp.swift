/// UTC timestamps as the CLI reads and prints them (RFC 3339, `Z` only).
public enum AuditTimestamp {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for `milliseconds` since the epoch.
    public static func format(_ milliseconds: Int64) -> String {
        let day = UTCDay(containing: milliseconds)
        let offset = milliseconds - day.startMilliseconds
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let seconds = offset / 1000
        return "\(day)T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(offset % 1000, 3))Z"
    }

    /// Milliseconds since the epoch for `YYYY-MM-DD` (midnight UTC) or
    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`; `nil` for anything else.
    public static func parse(_ text: String) -> Int64? {
        if let day = UTCDay(text) { return day.startMilliseconds }
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let day = UTCDay(String(parts[0])), parts[1].hasSuffix("Z") else { return nil }
        let clock = parts[1].dropLast()
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].count == 2, fields[1].count == 2,
            let hours = Int64(fields[0]), let minutes = Int64(fields[1]), hours < 24, minutes < 60
        else { return nil }
        let secondParts = fields[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard secondParts[0].count == 2, let seconds = Int64(secondParts[0]), seconds < 60 else { return nil }
        var milliseconds: Int64 = 0
        if secondParts.count == 2 {
            let fraction = secondParts[1]
            guard !fraction.isEmpty, fraction.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let value = Int64(String(fraction.prefix(3)) + String(repeating: "0", count: max(0, 3 - fraction.count)))
            else { return nil }
            milliseconds = value
        }
        return day.startMilliseconds + ((hours * 60 + minutes) * 60 + seconds) * 1000 + milliseconds
    }
}
