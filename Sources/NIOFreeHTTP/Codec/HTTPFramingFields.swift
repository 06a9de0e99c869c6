/// What the header fields of one message say about Host, framing, persistence and expectations.
/// Filled field by field from raw bytes while the head is parsed; judged once the head is complete.
struct HTTPFramingFields: Sendable {
    var targetHasAuthority = false
    var hostCount = 0
    var hostEmpty = false
    var hostInvalid = false
    var contentLengthSeen = false
    var contentLength: Int?
    var contentLengthInvalid = false
    var transferEncodingSeen = false
    var transferEncodingInvalid = false
    var chunkedCount = 0
    var lastCodingIsChunked = false
    var otherCoding = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectContinue = false
    var expectOther = false

    /// RFC 9112 §9.3 — persistence: HTTP/1.1 unless "close"; HTTP/1.0 only with "keep-alive".
    func isPersistent(version: HTTPVersion) -> Bool {
        version == .http1_1 ? !connectionClose : connectionKeepAlive && !connectionClose
    }

    /// Records a header field whose name and OWS-trimmed value were already validated.
    mutating func observe(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        switch name.count {
        case 4 where HTTPByteClass.equalsIgnoringCase(name, "host"):
            hostCount += 1
            if value.isEmpty {
                hostEmpty = true
            } else if !HTTPAuthority.isValid(value) {
                hostInvalid = true
            }
        case 6 where HTTPByteClass.equalsIgnoringCase(name, "expect"):
            Self.forEachListElement(value) { element in
                // RFC 9110 §10.1.1 — 100-continue is the only expectation defined.
                if HTTPByteClass.equalsIgnoringCase(element, "100-continue") {
                    expectContinue = true
                } else {
                    expectOther = true
                }
            }
        case 10 where HTTPByteClass.equalsIgnoringCase(name, "connection"):
            Self.forEachListElement(value) { element in
                if HTTPByteClass.equalsIgnoringCase(element, "close") {
                    connectionClose = true
                } else if HTTPByteClass.equalsIgnoringCase(element, "keep-alive") {
                    connectionKeepAlive = true
                }
            }
        case 14 where HTTPByteClass.equalsIgnoringCase(name, "content-length"):
            observeContentLength(value)
        case 17 where HTTPByteClass.equalsIgnoringCase(name, "transfer-encoding"):
            observeTransferEncoding(value)
        default:
            break
        }
    }

    private mutating func observeContentLength(_ value: UnsafeRawBufferPointer) {
        contentLengthSeen = true
        // RFC 9110 §8.6 — Content-Length = 1*DIGIT.
        if value.isEmpty {
            contentLengthInvalid = true
            return
        }
        var i = 0
        let n = value.count
        while i <= n {
            // RFC 9110 §8.6 — a list of identical values may be accepted as one value.
            var end = i
            while end < n, value[end] != UInt8(ascii: ",") { end += 1 }
            var s = i
            var e = end
            while s < e, HTTPByteClass.isWhitespace(value[s]) { s += 1 }
            while e > s, HTTPByteClass.isWhitespace(value[e - 1]) { e -= 1 }
            // At most 18 digits: never overflows Int.
            guard e > s, e - s <= 18 else {
                contentLengthInvalid = true
                return
            }
            var parsed = 0
            for j in s..<e {
                let b = value[j]
                guard HTTPByteClass.isDigit(b) else {
                    contentLengthInvalid = true
                    return
                }
                parsed = parsed * 10 + Int(b &- 0x30)
            }
            // RFC 9112 §6.3 — differing Content-Length values are unrecoverable framing errors.
            if let existing = contentLength, existing != parsed {
                contentLengthInvalid = true
                return
            }
            contentLength = parsed
            i = end + 1
        }
    }

    private mutating func observeTransferEncoding(_ value: UnsafeRawBufferPointer) {
        transferEncodingSeen = true
        Self.forEachListElement(value) { element in
            var nameEnd = 0
            while nameEnd < element.count, HTTPByteClass.isToken(element[nameEnd]) { nameEnd += 1 }
            guard nameEnd > 0 else {
                transferEncodingInvalid = true
                return
            }
            if nameEnd < element.count {
                var k = nameEnd
                while k < element.count, HTTPByteClass.isWhitespace(element[k]) { k += 1 }
                guard k < element.count, element[k] == UInt8(ascii: ";") else {
                    transferEncodingInvalid = true
                    return
                }
            }
            let name = UnsafeRawBufferPointer(rebasing: element[0..<nameEnd])
            if HTTPByteClass.equalsIgnoringCase(name, "chunked") {
                // RFC 9112 §6.1 — chunked must not be applied more than once; it takes no parameters.
                if chunkedCount > 0 || nameEnd != element.count { transferEncodingInvalid = true }
                chunkedCount += 1
                lastCodingIsChunked = true
            } else {
                otherCoding = true
                lastCodingIsChunked = false
            }
        }
    }

    /// Calls `body` with every non-empty, OWS-trimmed element of a comma-separated list (RFC 9110 §5.6.1).
    static func forEachListElement(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        let n = value.count
        var i = 0
        while i < n {
            var end = i
            while end < n, value[end] != UInt8(ascii: ",") { end += 1 }
            var s = i
            var e = end
            while s < e, HTTPByteClass.isWhitespace(value[s]) { s += 1 }
            while e > s, HTTPByteClass.isWhitespace(value[e - 1]) { e -= 1 }
            if e > s { body(UnsafeRawBufferPointer(rebasing: value[s..<e])) }
            i = end + 1
        }
    }
}
