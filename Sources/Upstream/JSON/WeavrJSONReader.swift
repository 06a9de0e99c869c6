/// A pull scanner over one JSON document (RFC 8259) that wire types read themselves from, field by field,
/// without Foundation: no `Data`, no intermediate tree, no `Decoder` containers.
///
/// It is at least as strict as Foundation's `JSONDecoder` for the types that use it: every document
/// `JSONDecoder` refuses for such a type (bad syntax, a wrong type, a missing required field, nesting deeper
/// than 512) this refuses too. It is stricter in four places where `JSONDecoder` is lenient, all of which
/// RFC 8259 leaves out of JSON: a trailing comma (`[1,]`), a repeated member name (`JSONDecoder` keeps the
/// first), integers written with a fraction or exponent (`1.0`, `1e2`) and skipped members whose strings
/// carry bad escapes or bad UTF-8 (`JSONDecoder` never looks inside values it does not decode).
///
/// A reader only lives inside `WeavrJSON.decode`, over that call's bytes.
public struct WeavrJSONReader {
    /// RFC 8259 §9 lets a parser limit nesting; `JSONDecoder` allows 512 levels, so does this.
    public static let maxDepth = 512

    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var index: Int
    @usableFromInline var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A UTF-8 byte order mark is skipped, as `JSONDecoder` does (RFC 8259 §8.1 allows ignoring it).
        index = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    var isAtEnd: Bool { index == bytes.count }

    func failure(_ reason: WeavrJSONError.Reason) -> WeavrJSONError {
        WeavrJSONError(reason: reason, offset: index)
    }

    /// RFC 8259 §2: whitespace is space, tab, LF and CR only.
    @inlinable
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func expect(_ byte: UInt8) throws(WeavrJSONError) {
        guard peek() == byte else { throw failure(.syntax) }
        index += 1
    }

    mutating func literal(_ text: StaticString) throws(WeavrJSONError) {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure(.syntax) }
        let start = text.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { throw failure(.syntax) }
        index += count
    }

    // MARK: Objects and arrays

    /// Where a reader is inside one object or array.
    public struct Cursor {
        var started = false
        public init() {}
    }

    /// Consumes `{`; then call `nextKey(_:)` until it returns nil.
    public mutating func beginObject() throws(WeavrJSONError) -> Cursor {
        guard peek() == UInt8(ascii: "{") else { throw failure(.typeMismatch) }
        try enter()
        return Cursor()
    }

    /// The next member's name (its value comes next), or nil after the closing `}`.
    public mutating func nextKey(_ cursor: inout Cursor) throws(WeavrJSONError) -> WeavrJSONKey? {
        if cursor.started {
            switch peek() {
            case UInt8(ascii: "}"): index += 1; depth -= 1; return nil
            case UInt8(ascii: ","): index += 1
            default: throw failure(.syntax)
            }
        } else {
            cursor.started = true
            if peek() == UInt8(ascii: "}") { index += 1; depth -= 1; return nil }
        }
        guard peek() == UInt8(ascii: "\"") else { throw failure(.syntax) }
        let key = try scanString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Consumes `[`; then call `nextElement(_:)` until it returns false.
    public mutating func beginArray() throws(WeavrJSONError) -> Cursor {
        guard peek() == UInt8(ascii: "[") else { throw failure(.typeMismatch) }
        try enter()
        return Cursor()
    }

    /// Whether another element follows (read it next); false after the closing `]`.
    public mutating func nextElement(_ cursor: inout Cursor) throws(WeavrJSONError) -> Bool {
        if cursor.started {
            switch peek() {
            case UInt8(ascii: "]"): index += 1; depth -= 1; return false
            case UInt8(ascii: ","): index += 1
            default: throw failure(.syntax)
            }
        } else {
            cursor.started = true
            if peek() == UInt8(ascii: "]") { index += 1; depth -= 1; return false }
        }
        guard peek() != nil else { throw failure(.syntax) }
        return true
    }

    private mutating func enter() throws(WeavrJSONError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure(.tooDeep) }
        index += 1
    }

    // MARK: Values

    /// Consumes `null` when it comes next; otherwise reads nothing.
    public mutating func readNull() throws(WeavrJSONError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    public mutating func readBool() throws(WeavrJSONError) -> Bool {
        switch peek() ?? 0 {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        case UInt8(ascii: "n"), UInt8(ascii: "\""), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            throw failure(.typeMismatch)
        default: throw failure(.syntax)
        }
    }

    public mutating func readString() throws(WeavrJSONError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw try mismatch() }
        return try scanString().string
    }

    /// An integer written as one (RFC 8259 §6 `-? int`, no fraction or exponent) that fits `Int64`.
    public mutating func readInt64() throws(WeavrJSONError) -> Int64 {
        guard let first = peek(), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw try mismatch()
        }
        let start = index
        let negative = first == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { throw failure(.syntax) }
        var magnitude: UInt64 = 0
        let digitsStart = index
        while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { index = start; throw failure(.typeMismatch) }
            magnitude = sum
            index += 1
        }
        // RFC 8259 §6: no leading zeros.
        if bytes[digitsStart] == UInt8(ascii: "0") && index - digitsStart > 1 { throw failure(.syntax) }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") {
            index = start
            throw failure(.typeMismatch)
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { index = start; throw failure(.typeMismatch) }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { index = start; throw failure(.typeMismatch) }
        return Int64(magnitude)
    }

    public mutating func readInt() throws(WeavrJSONError) -> Int {
        let value = try readInt64()
        guard let int = Int(exactly: value) else { throw failure(.typeMismatch) }
        return int
    }

    /// A required member's value into `slot` (`T` refuses null, as `JSONDecoder.decode` does); a second
    /// occurrence of the member is refused.
    public mutating func field<T: WeavrJSONDecodable>(_ slot: inout T?) throws(WeavrJSONError) {
        try unseen(slot)
        slot = try T(json: &self)
    }

    /// An optional member's value into `slot`: `.some(nil)` for null (`JSONDecoder.decodeIfPresent`).
    public mutating func field<T: WeavrJSONDecodable>(_ slot: inout T??) throws(WeavrJSONError) {
        try unseen(slot)
        slot = .some(try readNull() ? nil : T(json: &self))
    }

    /// What is wrong with the value that comes next, for a caller that wanted another type: a well-formed
    /// value of another type is a type mismatch, anything else a syntax error.
    mutating func mismatch() throws(WeavrJSONError) -> WeavrJSONError {
        let start = index
        try skipValue()
        index = start
        return failure(.typeMismatch)
    }

    /// Throws `.duplicateKey` when `slot` already holds a value: a member repeated in one object is refused.
    public func unseen<T>(_ slot: T?) throws(WeavrJSONError) {
        if slot != nil { throw failure(.duplicateKey) }
    }

    /// Reads and checks the value that comes next, whatever it is, and drops it.
    public mutating func skipValue() throws(WeavrJSONError) {
        switch peek() ?? 0 {
        case UInt8(ascii: "{"):
            var cursor = try beginObject()
            while try nextKey(&cursor) != nil { try skipValue() }
        case UInt8(ascii: "["):
            var cursor = try beginArray()
            while try nextElement(&cursor) { try skipValue() }
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
        default:
            throw failure(.syntax)
        }
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() throws(WeavrJSONError) {
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw failure(.syntax) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard try skipDigits() else { throw failure(.syntax) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard try skipDigits() else { throw failure(.syntax) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard try skipDigits() else { throw failure(.syntax) }
        }
    }

    private mutating func skipDigits() throws(WeavrJSONError) -> Bool {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index > start
    }

    /// A string at `index` (on its opening quote): its raw bytes when it has no escapes (the common case,
    /// no copy), else the unescaped bytes. UTF-8 is validated either way (RFC 8259 §8.1).
    mutating func scanString() throws(WeavrJSONError) -> WeavrJSONKey {
        index += 1
        let start = index
        var ascii = true
        // Eight bytes at a time while none is a quote, a backslash, a control or non-ASCII (most of a card's
        // strings end within one or two words); the loop below then looks at the word that stopped this one.
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let quote = word ^ 0x2222_2222_2222_2222
                let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                    | ((word &- 0x2020_2020_2020_2020) & ~word) | word
                if special & highs != 0 { break }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                guard ascii || Self.isValidUTF8(raw) else { throw WeavrJSONError(reason: .invalidUTF8, offset: start) }
                return WeavrJSONKey(raw: raw, unescaped: nil)
            }
            if byte == UInt8(ascii: "\\") { return try scanEscapedString(from: start) }
            // RFC 8259 §7: control characters must be escaped.
            guard byte >= 0x20 else { throw failure(.syntax) }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw failure(.syntax)
    }

    private mutating func scanEscapedString(from start: Int) throws(WeavrJSONError) -> WeavrJSONKey {
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let valid = out.withUnsafeBufferPointer { Self.isValidUTF8($0) }
                guard valid else { throw WeavrJSONError(reason: .invalidUTF8, offset: start) }
                return WeavrJSONKey(raw: UnsafeBufferPointer(start: nil, count: 0), unescaped: out)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw failure(.syntax) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = UInt32(try hex4())
                    if (0xD800...0xDBFF).contains(scalar) {
                        // RFC 8259 §7: a character outside the BMP is a surrogate pair; a lone half is refused.
                        guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure(.syntax)
                        }
                        index += 2
                        let low = UInt32(try hex4())
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure(.syntax) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw failure(.syntax)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw failure(.syntax) }
                    out.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    throw failure(.syntax)
                }
            default:
                guard byte >= 0x20 else { throw failure(.syntax) }
                out.append(byte)
                index += 1
            }
        }
        throw failure(.syntax)
    }

    private mutating func hex4() throws(WeavrJSONError) -> UInt16 {
        guard bytes.count - index >= 4 else { throw failure(.syntax) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure(.syntax)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// Well-formed UTF-8 (Unicode §3.9, table 3-7): no overlongs, no surrogates, nothing above U+10FFFF.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
