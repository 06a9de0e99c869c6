/// How a message body is delimited (RFC 9112 §6.3), decided once per head by `HTTPBodyFraming.of`.
enum HTTPBodyFraming: Sendable, Equatable {
    /// No body.
    case none
    /// Exactly this many bytes (`Content-Length`).
    case length(Int)
    /// The chunked transfer coding.
    case chunked
    /// Everything until the connection closes (responses only).
    case untilClose

    /// The message whose body is framed: a request, or a response with its status and whether it answers HEAD.
    enum Message: Sendable, Equatable {
        case request
        case response(status: Int, toHEAD: Bool)
    }

    /// The one framing rule for requests and responses alike (RFC 9112 §6.3, in its order), from the framing
    /// fields of a complete head. A `Content-Length` above `maxBodyBytes` is 413 before any body byte.
    static func of(
        _ message: Message, version: HTTPVersion, fields f: HTTPFramingFields, maxBodyBytes: Int
    ) -> Result<HTTPBodyFraming, HTTPParseError> {
        if case .response(let status, let toHEAD) = message {
            // RFC 9112 §6.3 ¶1 — a response to HEAD, any 1xx, 204 and 304 end at the end of the header section,
            // whatever their framing fields say.
            if toHEAD || (100...199).contains(status) || status == 204 || status == 304 { return .success(.none) }
        }
        if f.transferEncodingSeen {
            switch message {
            case .request:
                // RFC 9112 §6.1 — Content-Length with Transfer-Encoding is a smuggling vector: reject and close.
                if f.contentLengthSeen { return .failure(.badRequest("Content-Length with Transfer-Encoding")) }
                // RFC 9112 §6.1 — Transfer-Encoding in HTTP/1.0 means faulty framing.
                if version == .http1_0 { return .failure(.badRequest("Transfer-Encoding in HTTP/1.0")) }
                // RFC 9112 §6.3 ¶4 — chunked must be the final coding, applied once, or the length is unknown: 400.
                if f.transferEncodingInvalid || f.chunkedCount != 1 || !f.lastCodingIsChunked {
                    return .failure(.badRequest("invalid Transfer-Encoding"))
                }
                // RFC 9112 §6.1 — a transfer coding the server does not understand gets 501.
                if f.otherCoding { return .failure(HTTPParseError(status: 501, reason: "unsupported transfer coding")) }
            case .response:
                // RFC 9112 §6.3 ¶3 — Transfer-Encoding overrides Content-Length (the caller closes afterwards).
                // §6.3 ¶4 would read a response whose final coding is not chunked until close; this client
                // refuses it instead, as it refuses codings it cannot undo.
                if f.transferEncodingInvalid || f.chunkedCount != 1 || !f.lastCodingIsChunked {
                    return .failure(.badRequest("unsupported transfer coding"))
                }
            }
            return .success(.chunked)
        }
        if f.contentLengthSeen {
            // RFC 9112 §6.3 ¶5 — an invalid Content-Length (or differing values) is an unrecoverable error.
            if f.contentLengthInvalid { return .failure(.badRequest("invalid Content-Length")) }
            let length = f.contentLength ?? 0
            // RFC 9110 §15.5.14 — 413 before reading any body byte.
            if length > maxBodyBytes { return .failure(HTTPParseError(status: 413, reason: "body too large")) }
            // RFC 9112 §6.3 ¶6
            return .success(length == 0 ? .none : .length(length))
        }
        switch message {
        case .request:
            // RFC 9112 §6.3 ¶7 — a request without Content-Length or Transfer-Encoding has no body.
            return .success(.none)
        case .response:
            // RFC 9112 §6.3 ¶8 — a response without either runs until the server closes the connection.
            return .success(.untilClose)
        }
    }
}
