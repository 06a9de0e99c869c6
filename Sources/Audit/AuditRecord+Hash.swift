import GatewayCore

extension AuditRecord {
    /// The column names, in the order they are hashed, stored, exported and selected.
    public static let fieldNames = [
        "seq", "time", "tenant", "actor", "session_hash", "action", "target", "outcome", "http_status",
        "upstream_status", "upstream_ref", "request_id", "client_ip", "user_agent", "details", "prev_hash", "hash",
    ]

    /// The bytes `hash` is the SHA-256 of (version 1):
    ///
    ///     netstring("weavr-gateway-audit-v1")
    ///     netstring("seq=" + seq) netstring("time=" + time) netstring("tenant=" + tenant)
    ///     … every field of `fieldNames` except `hash`, in that order, ending with prev_hash …
    ///
    /// where `netstring(p)` is the decimal byte length of `p`, `:`, the UTF-8 bytes of `p`,
    /// `,` (D. J. Bernstein's netstrings). Integers are decimal ASCII; a NULL field is its
    /// name alone, without `=`, so NULL and the empty string differ. Field names are part of
    /// the input, so a value cannot move to another field without changing the hash, and
    /// `prev_hash` chains each row to the one before.
    public var canonicalEncoding: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512 + details.utf8.count + (userAgent?.utf8.count ?? 0))
        // Each netstring is written straight into `output`: its length first, then its parts (no copies).
        func appendLength(_ length: Int) {
            output.append(contentsOf: String(length).utf8)  // a small string: no allocation
        }
        func netstring(_ payload: StaticString) {
            appendLength(payload.utf8CodeUnitCount)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: UnsafeBufferPointer(start: payload.utf8Start, count: payload.utf8CodeUnitCount))
            output.append(UInt8(ascii: ","))
        }
        func field(_ name: StaticString, _ value: String?) {
            guard let value else { return netstring(name) }
            appendLength(name.utf8CodeUnitCount + 1 + value.utf8.count)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            output.append(UInt8(ascii: "="))
            output.append(contentsOf: value.utf8)
            output.append(UInt8(ascii: ","))
        }
        netstring("weavr-gateway-audit-v1")
        field("seq", String(seq))
        field("time", String(time))
        field("tenant", tenant)
        field("actor", actor)
        field("session_hash", sessionHash)
        field("action", action)
        field("target", target)
        field("outcome", outcome)
        field("http_status", httpStatus.map { String($0) })
        field("upstream_status", upstreamStatus.map { String($0) })
        field("upstream_ref", upstreamRequestRef)
        field("request_id", requestID)
        field("client_ip", clientIP)
        field("user_agent", userAgent)
        field("details", details)
        field("prev_hash", prevHash)
        return output
    }

    /// SHA-256 (lower-case hex) of `canonicalEncoding`: what `hash` must be.
    public var computedHash: String {
        SHA256.hexHash(canonicalEncoding)
    }
}
