import Foundation

/// The opaque `cursor` of a `/v1` list: base64url (RFC 4648 §5, unpadded) of the canonical JSON
/// `{"v":1,"s":"<scope>","o":<offset>}`. It hides Weavr's offsets from frontends and is bound to the list
/// it came from (`scope`); anything that is not exactly what `encoded` produces is rejected.
struct OffsetCursor: Sendable, Equatable {
    /// The format version inside every cursor.
    static let version = 1
    /// Longest cursor accepted, in characters.
    static let maxLength = 256
    /// Largest offset a cursor may carry (Weavr lists are far shorter; it also bounds the integer parse).
    static let maxOffset = 100_000_000

    /// Which list the cursor pages through, e.g. `users` or `bulk:123:operations:all`.
    var scope: String
    /// Weavr's `offset` of the next page.
    var offset: Int

    /// The text handed to the client as `nextCursor`.
    var encoded: String {
        Data(OffsetCursor.canonical(scope: scope, offset: offset).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a cursor for `scope`; nil for anything malformed, non-canonical, of another version or list.
    static func decode(_ text: String, scope: String) -> OffsetCursor? {
        guard (1...maxLength).contains(text.utf8.count), text.utf8.count % 4 != 1 else { return nil }
        let alphabetOK = text.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        guard alphabetOK else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: standard), let json = String(data: data, encoding: .utf8) else { return nil }
        let prefix = #"{"v":\#(version),"s":"# + quoted(scope) + #","o":"#
        guard json.hasPrefix(prefix), json.hasSuffix("}") else { return nil }
        let digits = json.dropFirst(prefix.count).dropLast()
        guard (1...9).contains(digits.count), digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              digits.count == 1 || digits.first != "0", let offset = Int(digits), offset <= maxOffset else { return nil }
        let cursor = OffsetCursor(scope: scope, offset: offset)
        // One encoding per cursor: the unused low bits of the last character must be zero (RFC 4648 §3.5).
        guard cursor.encoded == text else { return nil }
        return cursor
    }

    private static func canonical(scope: String, offset: Int) -> String {
        #"{"v":\#(version),"s":"# + quoted(scope) + #","o":\#(offset)}"#
    }

    /// Scopes are server-made (`[A-Za-z0-9:_-]`): quoting only guards against a future caller's mistake.
    private static func quoted(_ scope: String) -> String {
        scope.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
