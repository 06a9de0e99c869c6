extension HTTPRequestParser {
    /// RFC 9110 §9.1, §5.6.2 — the method is a token: its first byte that cannot be a tchar is rejected as
    /// soon as it arrives, so a peer speaking another protocol (a TLS ClientHello starts with 0x16) gets its
    /// 400 at once instead of the connection waiting for a line end that never comes. `partial` is the
    /// request line so far, or the whole line without its CRLF; a lone CR at its start may be the first half
    /// of an empty line (RFC 9112 §2.2). Bytes already checked are not scanned again.
    mutating func checkMethodPrefix(_ partial: UnsafeRawBufferPointer) -> HTTPParseError? {
        guard var i = checkedMethodBytes else { return nil }
        if i == 0, partial.count == 1, partial[0] == HTTPByteClass.cr { return nil }
        // Only bytes within the request-line limit are judged here: a line whose first bad byte lies beyond
        // the limit is too long (414) whether it arrives whole or split, so the earliest offence decides.
        let end = min(partial.count, limits.maxRequestLineBytes)
        while i < end {
            let byte = partial[i]
            if byte == HTTPByteClass.sp, i > 0 {
                checkedMethodBytes = nil
                return nil
            }
            guard HTTPByteClass.isToken(byte) else { return .badRequest("invalid request line") }
            i += 1
        }
        checkedMethodBytes = i
        return nil
    }

    /// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3) and starts a new head.
    mutating func parseRequestLine(_ line: UnsafeRawBufferPointer) -> HTTPParseError? {
        let n = line.count
        var i = 0
        // RFC 9110 §9.1 — method = token
        while i < n, HTTPByteClass.isToken(line[i]) { i += 1 }
        // RFC 9112 §3 — exactly one SP between the parts.
        guard i > 0, i < n, line[i] == HTTPByteClass.sp else { return .badRequest("invalid request line") }
        let methodEnd = i
        i += 1
        let targetStart = i
        while i < n, line[i] != HTTPByteClass.sp { i += 1 }
        guard i < n, i > targetStart else { return .badRequest("invalid request line") }
        let target = UnsafeRawBufferPointer(rebasing: line[targetStart..<i])
        let versionBytes = UnsafeRawBufferPointer(rebasing: line[(i + 1)...])
        // RFC 9112 §3.2 — request-target: visible ASCII only (no CTL, SP, or bytes ≥ 0x80).
        for b in target where !HTTPByteClass.isTarget(b) {
            return .badRequest("invalid request-target")
        }
        let version: HTTPVersion
        switch Self.parseVersion(versionBytes) {
        case .success(let parsed): version = parsed
        case .failure(let error): return error
        }
        let methodBytes = UnsafeRawBufferPointer(rebasing: line[0..<methodEnd])
        let method = String(decoding: methodBytes, as: UTF8.self)
        framing = HTTPFramingFields()
        // RFC 9112 §3.2.3 — authority-form is only for CONNECT, which this server does not implement.
        if method == "CONNECT" { return HTTPParseError(status: 501, reason: "CONNECT not supported") }

        var pathAndQuery = target
        if target[0] == UInt8(ascii: "/") {
            // RFC 9112 §3.2.1 — origin-form
        } else if target.count == 1, target[0] == UInt8(ascii: "*") {
            // RFC 9112 §3.2.4 — asterisk-form only with OPTIONS.
            guard method == "OPTIONS" else { return .badRequest("invalid request-target") }
        } else if let authorityStart = Self.absoluteFormAuthorityStart(target) {
            // RFC 9112 §3.2.2 — absolute-form: the path of the target wins over Host.
            var end = authorityStart
            while end < target.count, target[end] != UInt8(ascii: "/"), target[end] != UInt8(ascii: "?") { end += 1 }
            guard HTTPAuthority.isValid(UnsafeRawBufferPointer(rebasing: target[authorityStart..<end])) else {
                return .badRequest("invalid request-target")
            }
            pathAndQuery = UnsafeRawBufferPointer(rebasing: target[end...])
            framing.targetHasAuthority = true
        } else {
            return .badRequest("invalid request-target")
        }

        var path = "/"
        var query: String?
        if let q = pathAndQuery.firstIndex(of: UInt8(ascii: "?")) {
            if q > 0 { path = String(decoding: UnsafeRawBufferPointer(rebasing: pathAndQuery[0..<q]), as: UTF8.self) }
            query = String(decoding: UnsafeRawBufferPointer(rebasing: pathAndQuery[(q + 1)...]), as: UTF8.self)
        } else if !pathAndQuery.isEmpty {
            path = String(decoding: pathAndQuery, as: UTF8.self)
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(12)
        pendingHead = HTTPRequestHead(
            method: method,
            target: String(decoding: target, as: UTF8.self),
            path: path,
            query: query,
            version: version,
            headers: headers,
            keepAlive: true
        )
        phase = .headerLines
        sectionBytes = 0
        fieldCount = 0
        return nil
    }

    /// The offset just past `http://` or `https://` (scheme case-insensitive), or nil.
    static func absoluteFormAuthorityStart(_ target: UnsafeRawBufferPointer) -> Int? {
        if target.count > 7, HTTPByteClass.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: target[0..<7]), "http://") {
            return 7
        }
        if target.count > 8, HTTPByteClass.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: target[0..<8]), "https://") {
            return 8
        }
        return nil
    }

    /// RFC 9112 §2.3 — HTTP-version = "HTTP/" DIGIT "." DIGIT; 1.0 and 1.1 accepted, other versions 505.
    static func parseVersion(_ bytes: UnsafeRawBufferPointer) -> Result<HTTPVersion, HTTPParseError> {
        guard bytes.count == 8,
            bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"), bytes[2] == UInt8(ascii: "T"),
            bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/"),
            HTTPByteClass.isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), HTTPByteClass.isDigit(bytes[7])
        else { return .failure(.badRequest("invalid HTTP version")) }
        let version = HTTPVersion(major: Int(bytes[5] &- 0x30), minor: Int(bytes[7] &- 0x30))
        guard version == .http1_1 || version == .http1_0 else {
            return .failure(HTTPParseError(status: 505, reason: "HTTP version not supported"))
        }
        return .success(version)
    }

    /// Parses one field line (RFC 9112 §5) of the header or trailer section; header fields are kept, trailers dropped.
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
        for j in start..<end where !HTTPByteClass.isFieldValue(line[j]) {
            return .badRequest("invalid header value")
        }
        guard !isTrailer else { return nil }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<i])
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        framing.observe(name: name, value: value)
        pendingHead?.headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        return nil
    }

    /// Judges Host, framing and expectations once the empty line ends the head; sets the next phase.
    mutating func finishHead() -> Result<HTTPRequestHead, HTTPParseError> {
        guard var head = pendingHead else { return .failure(.badRequest("invalid request line")) }
        pendingHead = nil
        let f = framing
        // RFC 9112 §3.2 — a server must respond 400 to an HTTP/1.1 request lacking Host, or with more than one,
        // or with an invalid value.
        if f.hostCount > 1 { return .failure(.badRequest("duplicate Host")) }
        if f.hostCount == 0, head.version == .http1_1 { return .failure(.badRequest("missing Host")) }
        // RFC 9110 §7.2 — an empty Host is only for a target without authority.
        if f.hostInvalid || (f.hostEmpty && f.targetHasAuthority) { return .failure(.badRequest("invalid Host")) }

        if f.transferEncodingSeen {
            // RFC 9112 §6.1 — Content-Length with Transfer-Encoding is a smuggling vector: reject and close.
            if f.contentLengthSeen { return .failure(.badRequest("Content-Length with Transfer-Encoding")) }
            // RFC 9112 §6.1 — Transfer-Encoding in HTTP/1.0 means faulty framing.
            if head.version == .http1_0 { return .failure(.badRequest("Transfer-Encoding in HTTP/1.0")) }
            // RFC 9112 §6.3 — chunked must be the final coding, applied once, or the length is unknown: 400.
            if f.transferEncodingInvalid || f.chunkedCount != 1 || !f.lastCodingIsChunked {
                return .failure(.badRequest("invalid Transfer-Encoding"))
            }
            // RFC 9112 §6.1 — a transfer coding the server does not understand gets 501.
            if f.otherCoding { return .failure(HTTPParseError(status: 501, reason: "unsupported transfer coding")) }
            head.isChunked = true
        } else if f.contentLengthSeen {
            // RFC 9112 §6.3 — an invalid Content-Length is an unrecoverable error.
            if f.contentLengthInvalid { return .failure(.badRequest("invalid Content-Length")) }
            let length = f.contentLength ?? 0
            // RFC 9110 §15.5.14 — 413 before reading any body byte.
            if length > limits.maxBodyBytes { return .failure(HTTPParseError(status: 413, reason: "body too large")) }
            head.contentLength = length
        }
        // RFC 9110 §10.1.1 — an expectation other than 100-continue may be answered with 417.
        if f.expectOther { return .failure(HTTPParseError(status: 417, reason: "unsupported expectation")) }

        let hasBody = head.isChunked || (head.contentLength ?? 0) > 0
        // RFC 9110 §10.1.1 — a 100-continue expectation on HTTP/1.0 is ignored.
        head.expectsContinue = f.expectContinue && head.version == .http1_1 && hasBody
        // RFC 9112 §9.3 — persistence: 1.1 unless "close"; 1.0 only with "keep-alive".
        head.keepAlive = head.version == .http1_1 ? !f.connectionClose : f.connectionKeepAlive && !f.connectionClose

        if head.isChunked {
            bodyTotal = 0
            chunkLine = HTTPChunkSizeLine()
            phase = .chunkSizeLine
        } else if let length = head.contentLength, length > 0 {
            phase = .fixedBody(remaining: length)
        } else {
            // RFC 9112 §6.3 — a request without Content-Length or Transfer-Encoding has no body.
            phase = .messageEnd
        }
        return .success(head)
    }
}
