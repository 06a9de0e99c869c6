/// Incremental HTTP/1.1 response parser for the client (sans-IO: bytes in, a complete response out).
///
/// Framing per RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304; else chunked, else Content-Length,
/// else the body runs until the connection closes. Interim 1xx responses are skipped.
struct HTTPResponseParser {
    enum Framing: Equatable { case none, length(Int), chunked, untilClose }

    private enum State { case head, body, chunkSize, chunkData(Int), chunkDataEnd, trailers, done }

    let maxHeadBytes: Int
    let maxBodyBytes: Int
    let isHeadRequest: Bool

    private var state = State.head
    private var buffer: [UInt8] = []
    private var index = 0
    private(set) var status = 0
    private(set) var headers = HTTPHeaders()
    private(set) var body: [UInt8] = []
    private(set) var framing = Framing.none
    /// True when the response asked to close the connection (or is HTTP/1.0 without keep-alive).
    private(set) var closeRequested = false
    /// True once any byte of the response arrived.
    private(set) var receivedAnyByte = false

    init(maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int, isHeadRequest: Bool) {
        self.maxHeadBytes = maxHeadBytes
        self.maxBodyBytes = maxBodyBytes
        self.isHeadRequest = isHeadRequest
    }

    var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Adds bytes; returns true when the response is complete.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(HTTPClientError) -> Bool {
        if !bytes.isEmpty { receivedAnyByte = true }
        if case .body = state, case .length(let total) = framing, index == buffer.count {
            // Fast path: body bytes go straight into the body.
            let take = min(bytes.count, total - body.count)
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
            if body.count == total { state = .done }
            if take < bytes.count { throw .invalidResponse("bytes after the response") }
            return isComplete
        }
        buffer.append(contentsOf: bytes)
        try advance()
        if index > 4096 && index * 2 > buffer.count {
            buffer.removeFirst(index)
            index = 0
        }
        return isComplete
    }

    /// The peer closed the connection: completes a close-delimited body, otherwise the response is truncated.
    mutating func finishAtEOF() throws(HTTPClientError) {
        if case .body = state, framing == .untilClose {
            state = .done
            return
        }
        if !isComplete { throw .connectionClosed }
    }

    private mutating func advance() throws(HTTPClientError) {
        while true {
            switch state {
            case .head:
                guard let end = find([13, 10, 13, 10]) else {
                    if buffer.count - index > maxHeadBytes { throw .invalidResponse("response head too large") }
                    return
                }
                try parseHead(buffer[index..<end])
                index = end + 4
                if (100...199).contains(status) && status != 101 {
                    headers = HTTPHeaders()
                    continue  // interim response: the final one follows
                }
                switch framing {
                case .none: state = .done
                case .chunked: state = .chunkSize
                case .length(0): state = .done
                case .length, .untilClose: state = .body
                }
            case .body:
                let available = buffer.count - index
                switch framing {
                case .length(let total):
                    let take = min(available, total - body.count)
                    body.append(contentsOf: buffer[index..<index + take])
                    index += take
                    if body.count == total {
                        state = .done
                        if index < buffer.count { throw .invalidResponse("bytes after the response") }
                    }
                default:
                    if body.count + available > maxBodyBytes { throw .responseTooLarge }
                    body.append(contentsOf: buffer[index...])
                    index = buffer.count
                }
                return
            case .chunkSize:
                guard let end = find([13, 10]) else {
                    if buffer.count - index > 1024 { throw .invalidResponse("chunk size line too long") }
                    return
                }
                var size = 0
                var digits = 0
                for byte in buffer[index..<end] {
                    if byte == UInt8(ascii: ";") { break }
                    guard let value = HTTPByteClass.hexValue(byte), digits < 15 else {
                        throw .invalidResponse("bad chunk size")
                    }
                    size = size << 4 | value
                    digits += 1
                }
                guard digits > 0 else { throw .invalidResponse("bad chunk size") }
                index = end + 2
                if size == 0 {
                    state = .trailers
                } else {
                    if body.count + size > maxBodyBytes { throw .responseTooLarge }
                    state = .chunkData(size)
                }
            case .chunkData(let remaining):
                let take = min(remaining, buffer.count - index)
                body.append(contentsOf: buffer[index..<index + take])
                index += take
                if take < remaining {
                    state = .chunkData(remaining - take)
                    return
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard buffer.count - index >= 2 else { return }
                guard buffer[index] == 13, buffer[index + 1] == 10 else { throw .invalidResponse("chunk not followed by CRLF") }
                index += 2
                state = .chunkSize
            case .trailers:
                // RFC 9112 §7.1.2: trailer lines are skipped; an empty line ends the message.
                guard let end = find([13, 10]) else {
                    if buffer.count - index > maxHeadBytes { throw .invalidResponse("trailers too large") }
                    return
                }
                let empty = end == index
                index = end + 2
                if empty { state = .done }
            case .done:
                if index < buffer.count { throw .invalidResponse("bytes after the response") }
                return
            }
        }
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count - index >= needle.count else { return nil }
        var i = index
        let last = buffer.count - needle.count
        while i <= last {
            if buffer[i] == needle[0] {
                var match = true
                for j in 1..<needle.count where buffer[i + j] != needle[j] {
                    match = false
                    break
                }
                if match { return i }
            }
            i += 1
        }
        return nil
    }

    private mutating func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPClientError) {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 13 {
                guard i + 1 < bytes.endIndex, bytes[i + 1] == 10 else { throw .invalidResponse("bare CR") }
                lines.append(bytes[start..<i])
                i += 2
                start = i
            } else if bytes[i] == 10 {
                throw .invalidResponse("bare LF")
            } else {
                i += 1
            }
        }
        lines.append(bytes[start..<bytes.endIndex])
        // Status line: HTTP/1.x SP 3DIGIT SP reason (RFC 9112 §4)
        let statusLine = lines[0]
        guard statusLine.count >= 12, Array(statusLine.prefix(7)) == Array("HTTP/1.".utf8) else {
            throw .invalidResponse("bad status line")
        }
        let minor = statusLine[statusLine.startIndex + 7]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1"), statusLine[statusLine.startIndex + 8] == 0x20 else {
            throw .invalidResponse("unsupported version")
        }
        let code = statusLine[(statusLine.startIndex + 9)..<(statusLine.startIndex + 12)]
        guard code.allSatisfy({ HTTPByteClass.isDigit($0) }) else { throw .invalidResponse("bad status code") }
        status = code.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        var parsed = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: HTTPByteClass.colon) else { throw .invalidResponse("field without colon") }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy({ HTTPByteClass.isToken($0) }) else { throw .invalidResponse("bad field name") }
            var value = line[(colon + 1)...]
            while let first = value.first, HTTPByteClass.isWhitespace(first) { value = value.dropFirst() }
            while let last = value.last, HTTPByteClass.isWhitespace(last) { value = value.dropLast() }
            guard value.allSatisfy({ HTTPByteClass.isFieldValue($0) }) else { throw .invalidResponse("bad field value") }
            parsed.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        headers = parsed
        if (100...199).contains(status) { return }
        let connection = parsed.values("connection").joined(separator: ",").lowercased()
        closeRequested = minor == UInt8(ascii: "0") ? !connection.contains("keep-alive") : connection.contains("close")
        if isHeadRequest || status == 204 || status == 304 {
            framing = .none
            return
        }
        if let te = parsed["transfer-encoding"] {
            guard te.lowercased().split(separator: ",").last?.trimmingSpaces == "chunked" else {
                throw .invalidResponse("unsupported transfer coding")
            }
            framing = .chunked
            return
        }
        let lengths = parsed.values("content-length")
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18,
                  first.utf8.allSatisfy({ HTTPByteClass.isDigit($0) }), let length = Int(first) else {
                throw .invalidResponse("bad Content-Length")
            }
            guard length <= maxBodyBytes else { throw .responseTooLarge }
            framing = .length(length)
            return
        }
        framing = .untilClose
        closeRequested = true
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
