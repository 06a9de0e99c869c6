/// The response side of `HTTPMessageParser`: the status line (RFC 9112 §4) and the response framing rules.
struct HTTPResponseKind: HTTPMessageKind {
    typealias Head = HTTPResponseHead

    /// Whether the request was HEAD: its response has no body (RFC 9112 §6.3 ¶1).
    let isHeadRequest: Bool
    var pendingHead: HTTPResponseHead?

    static var startLineTooLong: HTTPParseError { .badRequest("status line too long") }

    func checkStartLine(_ bytes: UnsafeRawBufferPointer, complete: Bool, limits: HTTPParserLimits) -> HTTPParseError? { nil }

    /// Parses `HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4).
    mutating func parseStartLine(_ line: UnsafeRawBufferPointer, fields: inout HTTPFramingFields) -> HTTPParseError? {
        guard line.count >= 12, line[8] == HTTPByteClass.sp else { return .badRequest("bad status line") }
        let version: HTTPVersion
        switch HTTPVersion.parse(UnsafeRawBufferPointer(rebasing: line[0..<8])) {
        case .success(let parsed): version = parsed
        case .failure: return .badRequest("unsupported version")
        }
        // RFC 9110 §15 — status-code = 3DIGIT
        var status = 0
        for i in 9..<12 {
            guard HTTPByteClass.isDigit(line[i]) else { return .badRequest("bad status code") }
            status = status * 10 + Int(line[i] &- 0x30)
        }
        // RFC 9112 §4 — reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ), after one SP; it is ignored.
        if line.count > 12 {
            guard line[12] == HTTPByteClass.sp else { return .badRequest("bad status line") }
            for i in 13..<line.count where !HTTPByteClass.isFieldValue(line[i]) {
                return .badRequest("bad status line")
            }
        }
        pendingHead = HTTPResponseHead(status: status, version: version, headers: HTTPHeaders(), framing: .none, keepAlive: true)
        return nil
    }

    mutating func addField(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        pendingHead?.headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    mutating func finishHead(
        _ f: HTTPFramingFields, limits: HTTPParserLimits, framing: inout HTTPBodyFraming
    ) -> Result<HTTPResponseHead, HTTPParseError> {
        guard var head = pendingHead.take() else { return .failure(.badRequest("bad status line")) }
        let message = HTTPBodyFraming.Message.response(status: head.status, toHEAD: isHeadRequest)
        switch HTTPBodyFraming.of(message, version: head.version, fields: f, maxBodyBytes: limits.maxBodyBytes) {
        case .success(let framing): head.framing = framing
        case .failure(let error): return .failure(error)
        }
        // RFC 9112 §6.1 — Transfer-Encoding with Content-Length, or in HTTP/1.0, is faulty framing: close after.
        let suspect = head.framing == .chunked && (f.contentLengthSeen || head.version == .http1_0)
        head.keepAlive = f.isPersistent(version: head.version) && head.framing != .untilClose && !suspect
        framing = head.framing
        return .success(head)
    }

    mutating func reset() {
        pendingHead = nil
    }
}
