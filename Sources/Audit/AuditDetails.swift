import GatewayCore

/// The small, flat JSON object of an audit row: caller-supplied context such as a card's
/// new state or a bulk id, checked so that no secret lands in the log.
///
/// Rules, enforced by `init`:
/// - at most `maxFieldCount` fields; keys are 1–64 characters of `A-Z a-z 0-9 _ . -`;
/// - a key that names a secret is refused (`AuditError.forbiddenDetailKey`): lower-cased
///   with separators removed it contains `password`, `passwd`, `passcode`, `secret`,
///   `token`, `apikey`, `cardnumber`, `cvv`, `cvc`, `authorization`, `cookie`, `privatekey`
///   or `credential`, or one of its words (split at `_ . -` and camel case) is `pan`,
///   `pin`, `pwd` or `otp`;
/// - a string value containing a Luhn-valid run of 13–19 digits is refused (it may be a PAN);
/// - string values lose control characters and are cut to `maxStringLength` characters.
public struct AuditDetails: Sendable, Hashable {
    /// A details value.
    public enum Value: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
        ExpressibleByBooleanLiteral
    {
        case string(String)
        case integer(Int64)
        case bool(Bool)

        public init(stringLiteral value: String) { self = .string(value) }
        public init(integerLiteral value: Int64) { self = .integer(value) }
        public init(booleanLiteral value: Bool) { self = .bool(value) }
    }

    /// The most fields an entry may carry.
    public static let maxFieldCount = 32
    /// The longest string value kept, in characters; longer values are cut.
    public static let maxStringLength = 256
    /// No details: `{}`.
    public static let empty = AuditDetails(checked: [:])

    /// The fields, after cleaning.
    public let fields: [String: Value]

    /// Checks and cleans `fields`; throws `AuditError` when a rule above is broken.
    public init(_ fields: [String: Value]) throws(AuditError) {
        guard fields.count <= Self.maxFieldCount else { throw .tooManyDetailFields(fields.count) }
        var cleaned: [String: Value] = [:]
        for (key, value) in fields {
            try Self.check(key: key)
            switch value {
            case .string(let string):
                if Self.containsCardNumber(string) { throw .detailValueLooksLikeCardNumber(key: key) }
                cleaned[key] = .string(AuditText.clean(string, maxLength: Self.maxStringLength))
            case .integer, .bool:
                cleaned[key] = value
            }
        }
        self.fields = cleaned
    }

    private init(checked fields: [String: Value]) {
        self.fields = fields
    }

    /// The canonical JSON text stored in the row: keys sorted by their UTF-8 bytes, no spaces.
    public var json: String {
        var output: [UInt8] = [UInt8(ascii: "{")]
        for (index, key) in fields.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONString.appendQuoted(key, to: &output)
            output.append(UInt8(ascii: ":"))
            switch fields[key]! {
            case .string(let string): JSONString.appendQuoted(string, to: &output)
            case .integer(let integer): output.append(contentsOf: Array(String(integer).utf8))
            case .bool(let bool): output.append(contentsOf: Array((bool ? "true" : "false").utf8))
            }
        }
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }

    private static let forbiddenFragments = [
        "password", "passwd", "passcode", "secret", "token", "apikey", "cardnumber", "cvv", "cvc",
        "authorization", "cookie", "privatekey", "credential",
    ]
    private static let forbiddenWords: Set<String> = ["pan", "pin", "pwd", "otp"]

    private static func check(key: String) throws(AuditError) {
        let bytes = Array(key.utf8)
        let isKeyByte: (UInt8) -> Bool = { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                true
            default: false
            }
        }
        guard !bytes.isEmpty, bytes.count <= 64, bytes.allSatisfy(isKeyByte) else { throw .invalidDetailKey(key) }

        let squashed = String(decoding: bytes.filter { $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "-") }, as: UTF8.self).lowercased()
        if forbiddenFragments.contains(where: { squashed.contains($0) }) { throw .forbiddenDetailKey(key) }
        if words(of: bytes).contains(where: forbiddenWords.contains) { throw .forbiddenDetailKey(key) }
    }

    /// Lower-case words of a key split at `_ . -` and where a lower-case letter or digit is
    /// followed by an upper-case one (`cardPIN` → `card`, `pin`).
    private static func words(of key: [UInt8]) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in key {
            let isSeparator = byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
            let previousIsLower = current.last.map { !($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) } ?? false
            if isSeparator || (isUpper && previousIsLower) {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self).lowercased()) }
                current.removeAll()
            }
            if !isSeparator { current.append(byte) }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self).lowercased()) }
        return words
    }

    /// `true` when `string` has a run of 13–19 digits (single spaces or dashes between
    /// digits allowed) that passes the Luhn check. Longer runs are not card numbers.
    static func containsCardNumber(_ string: String) -> Bool {
        var digits: [UInt8] = []
        func runHasCard() -> Bool {
            (13...19).contains(digits.count) && luhnValid(digits[...])
        }
        for byte in string.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
            } else if (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-")) && !digits.isEmpty {
                continue
            } else {
                if runHasCard() { return true }
                digits.removeAll()
            }
        }
        return runHasCard()
    }

    private static func luhnValid(_ digits: ArraySlice<UInt8>) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}
