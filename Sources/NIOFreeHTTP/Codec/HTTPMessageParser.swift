/// Where a parser is between messages.
public enum HTTPParserState: Sendable, Equatable {
    /// No byte of the next message yet.
    case idle
    /// Inside a message head.
    case head
    /// Inside a body or trailer section, or the end of a message is pending.
    case body
    /// An error was returned; the parser must not be used again.
    case failed
}

/// The sans-IO HTTP/1.1 message parser (RFC 9112) shared by requests and responses: line splitting, field
/// lines, body framing, chunked coding and trailers. `Kind` parses the start line and judges the head.
/// Feed it bytes; it calls back with heads, body slices and ends, across any number of pipelined messages,
/// or returns the first error.
///
/// Complete lines are parsed in place from the bytes handed to `feed`; only an unconsumed tail is copied into the
/// parser's own buffer, and that buffer's storage is released when it grew past 16 KiB and is empty again.
struct HTTPMessageParser<Kind: HTTPMessageKind>: Sendable {
    enum Phase: Sendable, Equatable {
        case startLine
        case headerLines
        /// Body bytes of a Content-Length body, or of one chunk.
        case bodyData(remaining: Int, chunked: Bool)
        case untilClose
        case chunkSizeLine
        case chunkDataCR
        case chunkDataLF
        case trailerLines
        case messageEnd
        case failed
    }

    /// Leading empty lines ignored before a start line (RFC 9112 §2.2); one more is an error.
    static var maxLeadingEmptyLines: Int { 8 }
    /// Buffer storage above this is released once the buffer is empty.
    static var idleBufferCapacity: Int { 16 * 1024 }

    let limits: HTTPParserLimits
    var kind: Kind
    var phase: Phase = .startLine
    var failure: HTTPParseError?
    var buffer: [UInt8] = []
    var bufferStart = 0
    /// Bytes after the current line's start already known to hold no LF.
    var lineScanned = 0
    var leadingEmptyLines = 0
    /// Bytes of the header or trailer section so far, CRLFs included.
    var sectionBytes = 0
    var fieldCount = 0
    var fields = HTTPFramingFields()
    var bodyTotal = 0
    var chunkLine = HTTPChunkSizeLine()

    init(kind: Kind, limits: HTTPParserLimits) {
        self.kind = kind
        self.limits = limits
    }

    /// Where the parser is; `.idle` when no byte of a next message has arrived.
    var state: HTTPParserState {
        switch phase {
        case .failed: .failed
        case .startLine: bufferedByteCount == 0 ? .idle : .head
        case .headerLines: .head
        default: .body
        }
    }

    /// Bytes held because they were not yet consumed (an incomplete line, or everything after a paused event).
    var bufferedByteCount: Int { buffer.count - bufferStart }

    /// Parses `bytes` (plus anything buffered before). Calls `onEvent` for each event in order.
    /// If `onEvent` returns false, parsing stops right after that event; the rest is buffered until `resume`.
    /// Returns nil, or the first error (then `state == .failed` and the parser must not be used again).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ onEvent: (HTTPMessageEvent<Kind.Head>) -> Bool) -> HTTPParseError? {
        if let failure { return failure }
        guard bufferedByteCount == 0 else {
            if bufferStart > 0 {
                buffer.removeFirst(bufferStart)
                bufferStart = 0
            }
            buffer.append(contentsOf: bytes)
            return runBuffered(onEvent)
        }
        // Fast path: parse straight from the caller's bytes, copy only the unconsumed tail.
        let (consumed, error) = run(bytes, onEvent)
        if let error { return fail(error) }
        buffer.removeAll(keepingCapacity: buffer.capacity <= Self.idleBufferCapacity)
        bufferStart = 0
        if consumed < bytes.count {
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
        }
        return nil
    }

    /// Continues with buffered bytes after `onEvent` returned false.
    mutating func resume(_ onEvent: (HTTPMessageEvent<Kind.Head>) -> Bool) -> HTTPParseError? {
        if let failure { return failure }
        return runBuffered(onEvent)
    }

    /// The peer closed its side. Ends a close-delimited body with `.end` and returns true; returns false when no
    /// message was in progress; a message cut short is an error (RFC 9112 §8 — an incomplete message).
    mutating func finishAtEndOfInput(_ onEvent: (HTTPMessageEvent<Kind.Head>) -> Bool) -> Result<Bool, HTTPParseError> {
        if let failure { return .failure(failure) }
        switch phase {
        case .untilClose:
            // RFC 9112 §6.3 ¶8 — a close-delimited body ends when the connection closes.
            phase = .startLine
            _ = onEvent(.end)
            return .success(true)
        case .startLine where bufferedByteCount == 0:
            return .success(false)
        default:
            return .failure(fail(.badRequest("incomplete message")))
        }
    }

    private mutating func runBuffered(_ onEvent: (HTTPMessageEvent<Kind.Head>) -> Bool) -> HTTPParseError? {
        var data: [UInt8] = []
        swap(&data, &buffer)
        let start = bufferStart
        let (consumed, error) = data.withUnsafeBytes { raw in
            run(UnsafeRawBufferPointer(rebasing: raw[start...]), onEvent)
        }
        swap(&data, &buffer)
        if let error { return fail(error) }
        bufferStart = start + consumed
        if bufferStart == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= Self.idleBufferCapacity)
            bufferStart = 0
        }
        return nil
    }

    private mutating func fail(_ error: HTTPParseError) -> HTTPParseError {
        phase = .failed
        failure = error
        buffer = []
        bufferStart = 0
        kind.reset()
        return error
    }

    /// Runs the state machine over `bytes`; returns how many were consumed and the first error.
    /// Stops when more bytes are needed, after an event answered with false, or at an error.
    private mutating func run(
        _ bytes: UnsafeRawBufferPointer,
        _ onEvent: (HTTPMessageEvent<Kind.Head>) -> Bool
    ) -> (consumed: Int, error: HTTPParseError?) {
        var pos = 0
        let n = bytes.count
        while true {
            switch phase {
            case .startLine, .headerLines, .trailerLines:
                guard let lf = HTTPByteClass.firstLF(in: bytes, from: pos + lineScanned) else {
                    lineScanned = n - pos
                    // Limits fire while the line is still arriving; a trailing CR may be half of its CRLF.
                    let partial = n > pos && bytes[n - 1] == HTTPByteClass.cr ? n - pos - 1 : n - pos
                    // The method is checked before the length, here and below, so any split gives the same answer.
                    if phase == .startLine,
                        let error = kind.checkStartLine(UnsafeRawBufferPointer(rebasing: bytes[pos..<n]), complete: false, limits: limits) {
                        return (pos, error)
                    }
                    return (pos, lineLimitError(contentLength: partial, complete: false))
                }
                lineScanned = 0
                // RFC 9112 §2.2 — a line ends with CRLF; a bare LF is rejected.
                let hasCR = lf > pos && bytes[lf - 1] == HTTPByteClass.cr
                let line = UnsafeRawBufferPointer(rebasing: bytes[pos..<(hasCR ? lf - 1 : lf)])
                if phase == .startLine, let error = kind.checkStartLine(line, complete: true, limits: limits) { return (pos, error) }
                if let error = lineLimitError(contentLength: line.count, complete: true) { return (pos, error) }
                guard hasCR else { return (pos, .badRequest("bare LF")) }
                pos = lf + 1
                switch phase {
                case .startLine:
                    if line.isEmpty {
                        // RFC 9112 §2.2 — ignore a few empty lines before the request line.
                        leadingEmptyLines += 1
                        if leadingEmptyLines > Self.maxLeadingEmptyLines {
                            return (pos, .badRequest("too many empty lines"))
                        }
                        continue
                    }
                    fields = HTTPFramingFields()
                    if let error = kind.parseStartLine(line, fields: &fields) { return (pos, error) }
                    phase = .headerLines
                    sectionBytes = 0
                    fieldCount = 0
                case .headerLines:
                    if line.isEmpty {
                        switch finishHead() {
                        case .failure(let error):
                            return (pos, error)
                        case .success(let head):
                            if !onEvent(.head(head)) { return (pos, nil) }
                        }
                    } else if let error = parseField(line, isTrailer: false) {
                        return (pos, error)
                    }
                default:
                    if line.isEmpty {
                        phase = .messageEnd
                    } else if let error = parseField(line, isTrailer: true) {
                        return (pos, error)
                    }
                }

            case .bodyData(let remaining, let chunked):
                guard pos < n else { return (pos, nil) }
                let take = min(remaining, n - pos)
                let slice = UnsafeRawBufferPointer(rebasing: bytes[pos..<(pos + take)])
                pos += take
                if take < remaining {
                    phase = .bodyData(remaining: remaining - take, chunked: chunked)
                } else {
                    phase = chunked ? .chunkDataCR : .messageEnd
                }
                if !onEvent(.body(slice)) { return (pos, nil) }

            case .chunkSizeLine:
                guard pos < n else { return (pos, nil) }
                switch chunkLine.consume(bytes, from: &pos, limits: limits) {
                case .needMore:
                    return (pos, nil)
                case .failure(let error):
                    return (pos, error)
                case .complete(let size):
                    if size == 0 {
                        phase = .trailerLines
                        sectionBytes = 0
                        fieldCount = 0
                        lineScanned = 0
                    } else {
                        bodyTotal += size
                        if bodyTotal > limits.maxBodyBytes {
                            return (pos, HTTPParseError(status: 413, reason: "body too large"))
                        }
                        phase = .bodyData(remaining: size, chunked: true)
                    }
                }

            case .chunkDataCR, .chunkDataLF:
                guard pos < n else { return (pos, nil) }
                let expected = phase == .chunkDataCR ? HTTPByteClass.cr : HTTPByteClass.lf
                // RFC 9112 §7.1 — chunk-data is followed by exactly CRLF.
                guard bytes[pos] == expected else { return (pos, .badRequest("invalid chunk data terminator")) }
                pos += 1
                if phase == .chunkDataCR {
                    phase = .chunkDataLF
                } else {
                    phase = .chunkSizeLine
                    chunkLine = HTTPChunkSizeLine()
                }

            case .untilClose:
                guard pos < n else { return (pos, nil) }
                let slice = UnsafeRawBufferPointer(rebasing: bytes[pos..<n])
                pos = n
                bodyTotal += slice.count
                if bodyTotal > limits.maxBodyBytes { return (pos, HTTPParseError(status: 413, reason: "body too large")) }
                if !onEvent(.body(slice)) { return (pos, nil) }

            case .messageEnd:
                phase = .startLine
                leadingEmptyLines = 0
                lineScanned = 0
                if !onEvent(.end) { return (pos, nil) }

            case .failed:
                return (pos, failure)
            }
        }
    }

    /// The limit error for a line of `contentLength` bytes (CRLF excluded), or nil.
    /// For a line still arriving (`complete == false`) this never fires where the complete line would not.
    private func lineLimitError(contentLength: Int, complete: Bool) -> HTTPParseError? {
        switch phase {
        case .startLine:
            // RFC 9112 §3 — a server that receives a request-target longer than it wishes to parse responds 414.
            if contentLength > limits.maxRequestLineBytes { return Kind.startLineTooLong }
        case .headerLines:
            // RFC 6585 §5 — header section too large → 431.
            let lineBytes = complete && contentLength > 0 ? contentLength + 2 : contentLength
            if sectionBytes + lineBytes > limits.maxHeaderBytes {
                return HTTPParseError(status: 431, reason: "header section too large")
            }
        case .trailerLines:
            let lineBytes = complete && contentLength > 0 ? contentLength + 2 : contentLength
            if sectionBytes + lineBytes > limits.maxTrailerBytes {
                return HTTPParseError(status: 431, reason: "trailer section too large")
            }
        default:
            break
        }
        return nil
    }
}
