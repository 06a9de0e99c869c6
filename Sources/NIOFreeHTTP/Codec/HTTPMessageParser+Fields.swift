extension HTTPMessageParser {
    /// Parses one field line (RFC 9112 §5) of the header or trailer section; header fields go to the head and
    /// the framing fields, trailer fields are validated and dropped.
    mutating func parseField(_ line: UnsafeRawBufferPointer, isTrailer: Bool) -> HTTPParseError? {
        sectionBytes += line.count + 2
        fieldCount += 1
        if fieldCount > limits.maxHeaderCount {
            return HTTPParseError(status: 431, reason: isTrailer ? "too many trailer fields" : "too many header fields")
        }
        let n = line.count
        // RFC 9112 §5.2 — obs-fold is rejected with 400.
        if HTTPByteClass.isWhitespace(line[0]) { return .badRequest("obsolete line folding") }
        var i = 0
        while i < n, HTTPByteClass.isToken(line[i]) { i += 1 }
        guard i < n else { return .badRequest("invalid header field") }
        if line[i] != HTTPByteClass.colon {
            // RFC 9112 §5.1 — no whitespace is allowed between the field name and colon: 400.
            if HTTPByteClass.isWhitespace(line[i]) { return .badRequest("whitespace before colon") }
            return .badRequest("invalid header name")
        }
        guard i > 0 else { return .badRequest("invalid header name") }
        // RFC 9112 §5.1 — field-value is surrounded by optional whitespace, which is not part of it.
        var start = i + 1
        var end = n
        while start < end, HTTPByteClass.isWhitespace(line[start]) { start += 1 }
        while end > start, HTTPByteClass.isWhitespace(line[end - 1]) { end -= 1 }
        // RFC 9110 §5.5 — NUL, CR, LF and other CTLs (but HTAB) are invalid in a value; obs-text is allowed.
        guard HTTPByteClass.allFieldValue(UnsafeRawBufferPointer(rebasing: line[start..<end])) else {
            return .badRequest("invalid header value")
        }
        guard !isTrailer else { return nil }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<i])
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        fields.observe(name: name, value: value)
        kind.addField(name: name, value: value)
        return nil
    }

    /// Lets `kind` judge the head once the empty line ends it, and enters the phase its framing calls for.
    mutating func finishHead() -> Result<Kind.Head, HTTPParseError> {
        var framing = HTTPBodyFraming.none
        let result = kind.finishHead(fields, limits: limits, framing: &framing)
        if case .success = result {
            bodyTotal = 0
            switch framing {
            case .chunked:
                chunkLine = HTTPChunkSizeLine()
                phase = .chunkSizeLine
            case .length(let length) where length > 0:
                phase = .bodyData(remaining: length, chunked: false)
            case .untilClose:
                phase = .untilClose
            case .none, .length:
                phase = .messageEnd
            }
        }
        return result
    }
}
