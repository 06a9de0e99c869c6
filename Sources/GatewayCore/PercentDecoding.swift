/// Percent-decoding (RFC 3986 §2.1) for query strings and path segments: the one decoder of the
/// HTTP server, the gateway and the simulator.
public enum PercentDecoding {
    /// Decodes `%XX` escapes and "+" as space; nil when an escape is malformed or the result is not UTF-8.
    public static func decode(_ text: Substring, plusAsSpace: Bool = true) -> String? {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || ($0 == UInt8(ascii: "+") && plusAsSpace) }) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Hex.value), let low = iterator.next().flatMap(Hex.value) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusAsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
