import Foundation

/// The opaque `cursor` of `/v1` lists: base64url (no padding) of `{"v":1,"k":<list>,"f":<filters>,"o":<offset>}`.
///
/// It carries Weavr's offset so that frontends never see offsets. `k` ties it to one list and `f` (a hash
/// of the filters) to one query: a cursor replayed against another list or other filters is rejected, as
/// is anything that does not re-encode to the very same bytes (no padding, no extra keys, no whitespace).
/// Not signed: the offset only moves within the caller's own Weavr data, which Weavr scopes by token.
struct PageCursor: Equatable {
    static let version = 1
    /// Largest offset accepted (Weavr offsets are int32).
    static let maxOffset = 1_000_000_000

    var list: String
    var filters: String
    var offset: Int

    /// `filters` is a canonical description of the query's filters; only its hash is carried.
    init(list: String, filters: String, offset: Int) {
        self.list = list
        self.filters = Self.fingerprint(filters)
        self.offset = offset
    }

    /// The cursor text.
    var encoded: String {
        Self.base64url(payload)
    }

    private var payload: [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("v", Self.version)
        json.field("k", list)
        json.field("f", filters)
        json.field("o", offset)
        json.endObject()
        return json.bytes
    }

    /// Decodes `text` for `list` and the query's `filters`; nil when it is not a cursor this query issued.
    static func decode(_ text: String, list: String, filters: String) -> PageCursor? {
        guard (1...256).contains(text.utf8.count),
              text.utf8.allSatisfy({ isBase64URL($0) }),
              text.utf8.count % 4 != 1
        else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: standard),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object.count == 4,
              (object["v"] as? NSNumber)?.intValue == version,
              let kind = object["k"] as? String, kind == list,
              let offset = (object["o"] as? NSNumber)?.intValue, (1...maxOffset).contains(offset)
        else { return nil }
        var cursor = PageCursor(list: list, filters: filters, offset: offset)
        guard object["f"] as? String == cursor.filters else { return nil }
        // Canonical form only: the exact bytes this type writes.
        guard cursor.payload == Array(data), cursor.encoded == text else { return nil }
        cursor.offset = offset
        return cursor
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
    }

    private static func base64url(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// FNV-1a 64 of `text`, 16 hex digits: a consistency check, not a secret.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
