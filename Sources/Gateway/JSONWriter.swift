import GatewayCore

/// A small, allocation-light JSON writer for the gateway's responses (fields in the order written).
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]
    private var afterKey = false

    public init() {
        bytes.reserveCapacity(256)
    }

    public mutating func beginObject() {
        beginValue()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beginValue()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
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
        raw(String(value))
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        raw(String(value))
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        raw(value ? "true" : "false")
    }

    /// A number, or null.
    public mutating func field(_ name: String, _ value: Int64?) {
        key(name)
        raw(value.map { String($0) } ?? "null")
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
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func string(_ text: String) {
        JSONString.appendQuoted(text, to: &bytes)
    }
}
