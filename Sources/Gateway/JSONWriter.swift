import GatewayCore

/// A small, allocation-light JSON writer for the gateway's responses (fields in the order written).
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the container at each depth already has a member (bit d for depth d; depth 0 is the top level),
    /// in one word for the first 63 levels (every response the gateway writes), deeper ones in `deepCommas`.
    private var commas: UInt64 = 0
    private var depth = 0
    private var deepCommas: [Bool] = []
    private var afterKey = false

    public init() {
        bytes.reserveCapacity(256)
    }

    public mutating func beginObject() {
        beginValue()
        bytes.append(UInt8(ascii: "{"))
        push()
    }

    public mutating func endObject() {
        pop()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beginValue()
        bytes.append(UInt8(ascii: "["))
        push()
    }

    public mutating func endArray() {
        pop()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"name":`; the next value written belongs to it.
    public mutating func key(_ name: String) {
        beginValue()
        string(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { self.value(value) } else { raw("null") }
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        integer(Int64(value))
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        integer(value)
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        raw(value ? "true" : "false")
    }

    /// A number, or null.
    public mutating func field(_ name: String, _ value: Int64?) {
        key(name)
        if let value { integer(value) } else { raw("null") }
    }

    /// A boolean, or null.
    public mutating func field(_ name: String, _ value: Bool?) {
        key(name)
        raw(value.map { $0 ? "true" : "false" } ?? "null")
    }

    /// A string value (an array element, or the value after `key`).
    public mutating func value(_ text: String) {
        beginValue()
        string(text)
    }

    /// `null` (an array element, or the value after `key`).
    public mutating func null() {
        raw("null")
    }

    private mutating func raw(_ text: String) {
        beginValue()
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        if depth < 64 {
            let bit: UInt64 = 1 << UInt64(depth)
            if commas & bit != 0 { bytes.append(UInt8(ascii: ",")) }
            commas |= bit
        } else {
            if deepCommas[deepCommas.count - 1] { bytes.append(UInt8(ascii: ",")) }
            deepCommas[deepCommas.count - 1] = true
        }
    }

    /// A new container at the next depth, without members yet.
    private mutating func push() {
        depth += 1
        if depth < 64 {
            commas &= ~(1 << UInt64(depth))
        } else {
            deepCommas.append(false)
        }
    }

    private mutating func pop() {
        if depth >= 64 { deepCommas.removeLast() }
        depth -= 1
    }

    /// `value` in decimal, written straight into `bytes` (no `String` in between).
    private mutating func integer(_ value: Int64) {
        beginValue()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, least significant first
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    private mutating func string(_ text: String) {
        JSONString.appendQuoted(text, to: &bytes)
    }
}
