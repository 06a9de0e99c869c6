/// Writes the Prometheus text exposition format 0.0.4: `# HELP`, `# TYPE`, then `name{label="value"} number`
/// lines, with label values escaped (`\\`, `\"`, `\n`) and HELP text escaped (`\\`, `\n`).
public struct PrometheusText: Sendable {
    /// The `Content-Type` of this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public private(set) var output = ""

    public init() {
        output.reserveCapacity(16 * 1024)
    }

    mutating func header(_ name: String, help: String, type: String) {
        output += "# HELP \(name) "
        for character in help.unicodeScalars {
            switch character {
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            default: output.unicodeScalars.append(character)
            }
        }
        output += "\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labelNames: [String], _ labelValues: [String], _ value: Double) {
        output += name
        if !labelNames.isEmpty {
            output += "{"
            for (index, (label, value)) in zip(labelNames, labelValues).enumerated() {
                if index > 0 { output += "," }
                output += label
                output += "=\""
                for character in value.unicodeScalars {
                    switch character {
                    case "\\": output += "\\\\"
                    case "\"": output += "\\\""
                    case "\n": output += "\\n"
                    default: output.unicodeScalars.append(character)
                    }
                }
                output += "\""
            }
            output += "}"
        }
        output += " "
        output += Self.number(value)
        output += "\n"
    }

    /// A sample value or bucket bound as Prometheus reads it (`+Inf`, `-Inf`, `NaN`; integers without ".0").
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
