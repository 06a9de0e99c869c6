/// The request side of `HTTPMessageParser`: the request line (RFC 9112 §3) and what a server requires of a
/// request head (Host, framing, expectations, persistence).
struct HTTPRequestKind: HTTPMessageKind {
    typealias Head = HTTPRequestHead

    /// While a request line arrives: how many of its bytes are known to be method characters, or nil once
    /// the SP after the method has arrived (`checkMethodPrefix`).
    var checkedMethodBytes: Int? = 0
    var pendingHead: HTTPRequestHead?

    static var startLineTooLong: HTTPParseError { HTTPParseError(status: 414, reason: "request line too long") }

    mutating func checkStartLine(_ bytes: UnsafeRawBufferPointer, complete: Bool, limits: HTTPParserLimits) -> HTTPParseError? {
        // Only bytes within the request-line limit are judged: a line whose first bad byte lies beyond the limit
        // is too long (414) whether it arrives whole or split, so the earliest offence decides.
        let error = checkMethodPrefix(UnsafeRawBufferPointer(rebasing: bytes.prefix(limits.maxRequestLineBytes)))
        if complete { checkedMethodBytes = 0 }
        return error
    }

    mutating func parseStartLine(_ line: UnsafeRawBufferPointer, fields: inout HTTPFramingFields) -> HTTPParseError? {
        parseRequestLine(line, fields: &fields)
    }

    mutating func addField(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        pendingHead?.headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    mutating func reset() {
        pendingHead = nil
    }

    /// RFC 9110 §9.1, §5.6.2 — the method is a token: its first byte that cannot be a tchar is rejected as
    /// soon as it arrives, so a peer speaking another protocol (a TLS ClientHello starts with 0x16) gets its
    /// 400 at once instead of the connection waiting for a line end that never comes. `partial` is the
    /// request line so far, or the whole line without its CRLF; a lone CR at its start may be the first half
    /// of an empty line (RFC 9112 §2.2). Bytes already checked are not scanned again.
    mutating func checkMethodPrefix(_ partial: UnsafeRawBufferPointer) -> HTTPParseError? {
        guard var i = checkedMethodBytes else { return nil }
        if i == 0, partial.count == 1, partial[0] == HTTPByteClass.cr { return nil }
        while i < partial.count {
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
    mutating func parseRequestLine(_ line: UnsafeRawBufferPointer, fields: inout HTTPFramingFields) -> HTTPParseError? {
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
        switch HTTPVersion.parse(versionBytes) {
        case .success(let parsed): version = parsed
        case .failure(let error): return error
        }
        let methodBytes = UnsafeRawBufferPointer(rebasing: line[0..<methodEnd])
        let method = String(decoding: methodBytes, as: UTF8.self)
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
            fields.targetHasAuthority = true
        } else {
            return .badRequest("invalid request-target")
        }

        var path = "/"
        var query: String?
        let targetString = String(decoding: target, as: UTF8.self)
        if let q = pathAndQuery.firstIndex(of: UInt8(ascii: "?")) {
            if q > 0 { path = String(decoding: UnsafeRawBufferPointer(rebasing: pathAndQuery[0..<q]), as: UTF8.self) }
            query = String(decoding: UnsafeRawBufferPointer(rebasing: pathAndQuery[(q + 1)...]), as: UTF8.self)
        } else if pathAndQuery.count == target.count {
            // The whole target is the path (origin-form without a query, the usual case): one string for both.
            path = targetString
        } else if !pathAndQuery.isEmpty {
            path = String(decoding: pathAndQuery, as: UTF8.self)
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(12)
        pendingHead = HTTPRequestHead(
            method: method,
            target: targetString,
            path: path,
            query: query,
            version: version,
            headers: headers,
            keepAlive: true
        )
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

    /// Judges Host, framing and expectations once the empty line ends the head.
    mutating func finishHead(
        _ f: HTTPFramingFields, limits: HTTPParserLimits, framing: inout HTTPBodyFraming
    ) -> Result<HTTPRequestHead, HTTPParseError> {
        guard var head = pendingHead.take() else { return .failure(.badRequest("invalid request line")) }
        // RFC 9112 §3.2 — a server must respond 400 to an HTTP/1.1 request lacking Host, or with more than one,
        // or with an invalid value.
        if f.hostCount > 1 { return .failure(.badRequest("duplicate Host")) }
        if f.hostCount == 0, head.version == .http1_1 { return .failure(.badRequest("missing Host")) }
        // RFC 9110 §7.2 — an empty Host is only for a target without authority.
        if f.hostInvalid || (f.hostEmpty && f.targetHasAuthority) { return .failure(.badRequest("invalid Host")) }

        switch HTTPBodyFraming.of(.request, version: head.version, fields: f, maxBodyBytes: limits.maxBodyBytes) {
        case .success(let decided): framing = decided
        case .failure(let error): return .failure(error)
        }
        switch framing {
        case .chunked: head.isChunked = true
        case .length(let length): head.contentLength = length
        case .none, .untilClose: head.contentLength = f.contentLengthSeen ? 0 : nil
        }
        // RFC 9110 §10.1.1 — an expectation other than 100-continue may be answered with 417.
        if f.expectOther { return .failure(HTTPParseError(status: 417, reason: "unsupported expectation")) }

        // RFC 9110 §10.1.1 — a 100-continue expectation on HTTP/1.0 is ignored.
        head.expectsContinue = f.expectContinue && head.version == .http1_1 && framing != .none
        head.keepAlive = f.isPersistent(version: head.version)
        return .success(head)
    }
}
