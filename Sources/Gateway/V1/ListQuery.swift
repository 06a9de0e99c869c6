import GatewayCore
import NIOFreeHTTP

/// The query string of a `/v1` list or read: every value of every parameter (percent-decoded, "+" is a
/// space), with typed accessors that collect failures by parameter name, like `FieldReader` does for bodies.
struct ListQuery {
    private var values: [String: [String]] = [:]
    private(set) var invalid: [Problem.InvalidField] = []

    /// Parses `request.query`; bytes that do not percent-decode to UTF-8 are a 400. A parameter not in
    /// `allowed` is a failure naming it ("unknown query parameter"), so a misspelt or unsupported filter is
    /// a 422 rather than silently ignored (an unfiltered list is the one answer that looks right but is not).
    init(_ request: HTTPRequest, allowed: [String]) throws(Problem) {
        guard let query = request.query else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0]), let value = PercentDecoding.decode(parts.count > 1 ? parts[1] : "") else {
                throw Problem(.badRequest, detail: "the query string is not valid percent-encoded UTF-8")
            }
            values[name, default: []].append(value)
        }
        for name in values.keys.sorted() where !allowed.contains(name) {
            fail(name, "unknown query parameter; this endpoint takes " + (allowed.isEmpty ? "none" : allowed.joined(separator: ", ")))
        }
    }

    /// At most one value; a repeated parameter is a failure.
    mutating func single(_ name: String) -> String? {
        guard let list = values[name] else { return nil }
        if list.count > 1 {
            fail(name, "give it at most once")
            return nil
        }
        return list[0]
    }

    /// Every value of a repeatable parameter, comma lists split (`state=active,blocked&state=destroyed`).
    func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// An enum parameter; returns the value when it is one of `allowed`.
    mutating func choice(_ name: String, _ allowed: [String]) -> String? {
        guard let value = single(name) else { return nil }
        guard allowed.contains(value) else {
            fail(name, "must be one of " + allowed.joined(separator: ", "))
            return nil
        }
        return value
    }

    /// A repeatable enum parameter (repeated or comma-separated), without duplicates, in the order given.
    mutating func choices(_ name: String, _ allowed: [String]) -> [String] {
        var chosen: [String] = []
        for value in list(name) {
            guard allowed.contains(value) else {
                fail(name, "each value must be one of " + allowed.joined(separator: ", "))
                return []
            }
            if !chosen.contains(value) { chosen.append(value) }
        }
        return chosen
    }

    /// An ISO 4217 code: three upper-case letters.
    mutating func currency(_ name: String = "currency") -> String? {
        guard let value = single(name) else { return nil }
        guard Self.isCurrencyCode(value) else {
            fail(name, "must be an ISO 4217 code (three upper-case letters)")
            return nil
        }
        return value
    }

    /// `limit` in `range`, `defaultValue` when absent.
    mutating func limit(_ range: ClosedRange<Int> = 1...100, default defaultValue: Int = 20) -> Int {
        guard let text = single("limit") else { return defaultValue }
        guard (1...4).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text), range.contains(value) else {
            fail("limit", "must be an integer \(range.lowerBound)…\(range.upperBound)")
            return defaultValue
        }
        return value
    }

    /// The offset the `cursor` parameter carries (0 without one); a cursor that `list` did not issue for these
    /// `filters` is recorded as a failure naming `cursor`.
    mutating func cursorOffset(list: String, filters: String) -> Int {
        guard let text = single("cursor") else { return 0 }
        guard let cursor = PageCursor.decode(text, list: list, filters: filters) else {
            fail("cursor", filters.isEmpty ? "not a cursor returned by this list" : "not a cursor of this list and these filters")
            return 0
        }
        return cursor.offset
    }

    mutating func fail(_ name: String, _ reason: String) {
        if !invalid.contains(where: { $0.name == name }) { invalid.append(.init(name: name, reason: reason)) }
    }

    /// Throws `validation_failed` listing every recorded failure.
    func validate() throws(Problem) {
        if !invalid.isEmpty { throw Problem(.validationFailed, invalidFields: invalid) }
    }

    static func isCurrencyCode(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }
}
