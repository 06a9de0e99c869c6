/// Response encoding into a caller-owned byte array. Every function appends; none allocates when capacity suffices.
public enum HTTPResponseEncoder {
    /// How the response body is delimited.
    public enum Framing: Sendable {
        /// A body of exactly this many bytes; also for HEAD answers, which keep their Content-Length but send no body.
        case contentLength(Int)
        /// A chunked body (HTTP/1.1 clients only; send `.contentLength` or close-delimited to HTTP/1.0).
        case chunked
        /// No body and no framing header: 1xx, 204 and 304 answers.
        case none
    }

    /// Appends "HTTP/1.1 <status> <reason>\r\n", the header fields, the framing header, "connection: close" when
    /// `!keepAlive` (or "connection: keep-alive" when `keepAlive` and the request was HTTP/1.0), then "\r\n".
    ///
    /// Fields with names that are not tokens, or values holding CR, LF, NUL or another control character but HTAB,
    /// are dropped (RFC 9110 §5.5, response splitting). Caller-supplied Content-Length, Transfer-Encoding and
    /// Connection fields are ignored: `framing` and `keepAlive` decide. A status outside 100...999 is sent as 500.
    /// A `date` given here replaces any `Date` field of `headers` (the server's own clock, RFC 9110 §6.6.1) and
    /// follows the other fields, so that the caller's list is not copied to change one field.
    public static func encodeHead(
        status: Int,
        headers: HTTPHeaders,
        date: String? = nil,
        framing: Framing,
        keepAlive: Bool,
        requestVersion: HTTPVersion,
        into buffer: inout [UInt8]
    ) {
        let code = (100...999).contains(status) ? status : 500
        // RFC 9110 §6.2 — a server sends its own highest conformant version, whatever the request's.
        HTTPFieldLine.appendLiteral("HTTP/1.1 ", to: &buffer)
        appendDecimal(code, to: &buffer)
        buffer.append(HTTPByteClass.sp)
        buffer.append(contentsOf: reasonPhrase(code).utf8)
        HTTPFieldLine.appendLiteral("\r\n", to: &buffer)
        // The framing fields are this encoder's own, and so is `Date` when it is given.
        let skipsDate = date != nil
        for field in headers {
            HTTPFieldLine.append(field, unlessOwn: { name in
                (skipsDate && name.count == 4 && HTTPByteClass.equalsIgnoringCase(name, "date")) || HTTPFieldLine.isFraming(name)
            }, to: &buffer)
        }
        if let date {
            HTTPFieldLine.append(("date", date), unlessOwn: { _ in false }, to: &buffer)
        }
        switch framing {
        case .contentLength(let length):
            HTTPFieldLine.appendLiteral("content-length: ", to: &buffer)
            appendDecimal(max(0, length), to: &buffer)
            HTTPFieldLine.appendLiteral("\r\n", to: &buffer)
        case .chunked:
            HTTPFieldLine.appendLiteral("transfer-encoding: chunked\r\n", to: &buffer)
        case .none:
            break
        }
        // RFC 9112 §9.6 — "close" announces the end of the connection; RFC 9112 §9.3 — 1.0 needs "keep-alive".
        if !keepAlive {
            HTTPFieldLine.appendLiteral("connection: close\r\n", to: &buffer)
        } else if requestVersion == .http1_0 {
            HTTPFieldLine.appendLiteral("connection: keep-alive\r\n", to: &buffer)
        }
        HTTPFieldLine.appendLiteral("\r\n", to: &buffer)
    }

    /// Appends one chunk: hex size, CRLF, the data, CRLF (RFC 9112 §7.1). Empty input appends nothing,
    /// since a zero-size chunk would end the body.
    public static func encodeChunk(_ bytes: UnsafeRawBufferPointer, into buffer: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        appendHex(bytes.count, to: &buffer)
        HTTPFieldLine.appendLiteral("\r\n", to: &buffer)
        buffer.append(contentsOf: bytes)
        HTTPFieldLine.appendLiteral("\r\n", to: &buffer)
    }

    /// Appends the last chunk with an empty trailer section: "0\r\n\r\n".
    public static func encodeLastChunk(into buffer: inout [UInt8]) {
        HTTPFieldLine.appendLiteral("0\r\n\r\n", to: &buffer)
    }

    /// The reason phrase registered for `status` (RFC 9110 §15), or "" for an unregistered code.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 203: "Non-Authoritative Information"
        case 204: "No Content"
        case 205: "Reset Content"
        case 206: "Partial Content"
        case 300: "Multiple Choices"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 407: "Proxy Authentication Required"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 416: "Range Not Satisfiable"
        case 417: "Expectation Failed"
        case 421: "Misdirected Request"
        case 422: "Unprocessable Content"
        case 425: "Too Early"
        case 426: "Upgrade Required"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 451: "Unavailable For Legal Reasons"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }


    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            var v = UInt(value)
            var i = raw.count
            repeat {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
                v /= 10
            } while v > 0
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }

    private static func appendHex(_ value: Int, to buffer: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4
        while shift >= 0 {
            buffer.append(hex.utf8Start[(value >> shift) & 0xF])
            shift -= 4
        }
    }
}
