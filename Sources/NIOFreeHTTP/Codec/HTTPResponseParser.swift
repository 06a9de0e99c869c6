/// The client's response parser: the shared `HTTPMessageParser` fixed to responses, collecting one complete
/// response (sans-IO: bytes in, a response out). Interim 1xx responses (but 101) are skipped; bytes after the
/// response are an error, since the client sends one request at a time.
struct HTTPResponseParser {
    /// What the events of one exchange add up to.
    struct Collected {
        var interim = false
        var isComplete = false
        var status = 0
        var headers = HTTPHeaders()
        var body: [UInt8] = []
        var keepAlive = true

        /// Collects one event; returns false (pause) once the final response is complete.
        mutating func record(_ event: HTTPMessageEvent<HTTPResponseHead>) -> Bool {
            switch event {
            case .head(let head):
                // RFC 9110 §15.2 — 1xx responses are interim: the final response follows (101 switches protocols).
                interim = (100...199).contains(head.status) && head.status != 101
                status = head.status
                headers = head.headers
                if interim { return true }
                keepAlive = head.keepAlive
                if case .length(let length) = head.framing { body.reserveCapacity(length) }
            case .body(let bytes):
                body.append(contentsOf: bytes)
            case .end:
                if interim {
                    interim = false
                    headers = HTTPHeaders()
                    return true
                }
                isComplete = true
                return false
            }
            return true
        }
    }

    private var core: HTTPMessageParser<HTTPResponseKind>
    private var collected = Collected()
    /// True once any byte of the response arrived.
    private(set) var receivedAnyByte = false

    var isComplete: Bool { collected.isComplete }
    var status: Int { collected.status }
    var headers: HTTPHeaders { collected.headers }
    var body: [UInt8] { collected.body }
    /// True once the final (non-1xx) head is parsed: a streamed response can be handed over.
    var hasFinalHead: Bool { collected.status >= 200 && !collected.interim }

    /// The body bytes collected so far, removed (a streamed response hands them on as they come).
    mutating func takeBody() -> [UInt8] {
        guard !collected.body.isEmpty else { return [] }
        var taken: [UInt8] = []
        swap(&taken, &collected.body)
        return taken
    }
    /// True when the response asked to close the connection (or is HTTP/1.0 without keep-alive, or its body
    /// runs until close).
    var closeRequested: Bool { !collected.keepAlive }

    /// Limits for responses: generous head limits, the body capped at `maxBodyBytes` (413 → `responseTooLarge`).
    static func limits(maxHeadBytes: Int, maxBodyBytes: Int) -> HTTPParserLimits {
        HTTPParserLimits(
            maxRequestLineBytes: 8 * 1024, maxHeaderBytes: maxHeadBytes, maxHeaderCount: 1024,
            maxBodyBytes: maxBodyBytes, maxChunkExtensionBytes: 1024, maxTrailerBytes: maxHeadBytes
        )
    }

    init(maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int, isHeadRequest: Bool) {
        core = HTTPMessageParser(
            kind: HTTPResponseKind(isHeadRequest: isHeadRequest),
            limits: Self.limits(maxHeadBytes: maxHeadBytes, maxBodyBytes: maxBodyBytes)
        )
    }

    /// Adds bytes; returns true when the response is complete.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> Bool {
        if !bytes.isEmpty { receivedAnyByte = true }
        if isComplete {
            if bytes.isEmpty { return true }
            throw .badRequest("bytes after the response")
        }
        var collected = Collected()
        swap(&collected, &self.collected)
        let error = core.feed(bytes) { collected.record($0) }
        swap(&collected, &self.collected)
        if let error { throw error }
        if isComplete && core.bufferedByteCount > 0 { throw .badRequest("bytes after the response") }
        return isComplete
    }

    /// The peer closed the connection: completes a close-delimited body, otherwise the response is truncated.
    mutating func finishAtEOF() throws(HTTPParseError) {
        if isComplete { return }
        var collected = Collected()
        swap(&collected, &self.collected)
        let outcome = core.finishAtEndOfInput { collected.record($0) }
        swap(&collected, &self.collected)
        if case .failure(let error) = outcome { throw error }
        if !isComplete { throw .badRequest("connection closed before the response") }
    }
}
